import { Type } from '@sinclair/typebox'

export const MessageBody = Type.Object({ message: Type.String() })
export const DetailBody = Type.Object({ detail: Type.String() })
