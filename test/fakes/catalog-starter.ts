import type { CatalogItem } from '../../src/application/ports/records/catalog-repository.js'

/**
 * The starter catalog, item for item what drizzle/0001_catalog_starter.sql inserts (same ids), so
 * the in-memory catalog of the HTTP tests answers like a freshly migrated database.
 * test/adapters/catalog-repository.test.ts compares the two, so an edit here without the same
 * edit in a new migration fails there.
 */
export const CATALOG_STARTER: { interests: CatalogItem[], professions: CatalogItem[] } = {
  interests: [
    {
      id: 'dc7e4ef8-7586-439b-afa6-c9a6783a0bcd',
      name: '골프',
      emoji: '⛳',
      imageKey: 'images/interests/interest_golf.jpeg'
    },
    {
      id: '27357477-5fab-4b37-a319-0379ccb294ac',
      name: '테니스',
      emoji: '🎾',
      imageKey: 'images/interests/interest_tennis.jpeg'
    },
    {
      id: '0349d801-e121-4d9b-bae7-8276a6968e4b',
      name: '등산',
      emoji: '🥾',
      imageKey: 'images/interests/interest_hiking.jpeg'
    },
    {
      id: '19100ca3-990b-4535-850f-36c129370965',
      name: '여행',
      emoji: '✈️',
      imageKey: 'images/interests/interest_travel.jpeg'
    },
    {
      id: '195727af-b3ad-4dd3-9c1b-7acb34977040',
      name: '요리',
      emoji: '🍳',
      imageKey: 'images/interests/interest_cooking.jpeg'
    },
    {
      id: '58c50854-5b52-43f9-b286-85445d34066f',
      name: '독서',
      emoji: '📚',
      imageKey: 'images/interests/interest_reading.jpeg'
    },
    {
      id: '63c2e59b-2639-4230-b13d-1c0428e76c84',
      name: '음악',
      emoji: '🎵',
      imageKey: 'images/interests/interest_music.jpeg'
    },
    {
      id: 'f162c9d9-e288-42b0-94ac-daaee5d666f1',
      name: '영화',
      emoji: '🎬',
      imageKey: 'images/interests/interest_movie.jpeg'
    },
    {
      id: 'fe9151c8-0fbd-4d35-b40e-a98c8bdcc648',
      name: '사진',
      emoji: '📷',
      imageKey: 'images/interests/interest_photo.jpeg'
    },
    {
      id: '49fa553b-ffee-490f-87f0-a12aa9c6dc21',
      name: '와인',
      emoji: '🍷',
      imageKey: 'images/interests/interest_wine.jpeg'
    },
    {
      id: '363255a0-d067-40e8-b793-f8293760bae4',
      name: '캠핑',
      emoji: '🏕️',
      imageKey: 'images/interests/interest_camping.jpeg'
    },
    {
      id: '1ae41ba0-3ca0-44d1-9105-e729aa38ae08',
      name: '러닝',
      emoji: '🏃',
      imageKey: 'images/interests/interest_running.jpeg'
    }
  ],
  professions: [
    { id: 'a1321bc2-4d3b-48bb-b094-29d7698a87bd', name: '의사', emoji: '👨‍⚕️', imageKey: null },
    { id: '15632047-ce7a-4bae-8958-b2758ede952e', name: '변호사', emoji: '⚖️', imageKey: null },
    { id: 'c0ddf190-93fb-4f1d-bff7-b29eed621ced', name: '회계사', emoji: '🧮', imageKey: null },
    { id: 'e12c2e2d-03eb-4438-91fa-3f990547784d', name: '엔지니어', emoji: '👷', imageKey: null },
    { id: '53fd82cf-8045-402b-90cd-5b9540a98cd6', name: '개발자', emoji: '👨‍💻', imageKey: null },
    { id: '5e76d680-ef68-42b2-b490-0a605083364c', name: '교사', emoji: '👩‍🏫', imageKey: null },
    { id: '9cf494f8-9dfd-45df-9dd3-16902937d37b', name: '디자이너', emoji: '🎨', imageKey: null },
    { id: '592767bf-35c4-4430-a97b-1781601b3304', name: '사업가', emoji: '💼', imageKey: null },
    { id: '0298b3d6-d4ba-459e-b42d-10a30476d6ee', name: '공무원', emoji: '🏛️', imageKey: null },
    { id: '7ddd05d9-600d-4c28-8d45-efec74e4a575', name: '연구원', emoji: '🔬', imageKey: null }
  ]
}
