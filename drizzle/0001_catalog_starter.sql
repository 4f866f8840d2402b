-- The starter catalog with fixed ids, so every database begins with the same items; the in-memory
-- adapter holds the same list (src/adapters/memory/catalog-starter.ts) and
-- test/adapters/catalog-repository.test.ts checks that the two agree. ON CONFLICT DO NOTHING leaves
-- alone a database whose operators already added an item of that id or name.
INSERT INTO "interests" ("id", "name", "emoji", "image_key") VALUES
	('dc7e4ef8-7586-439b-afa6-c9a6783a0bcd', '골프', '⛳', 'images/interests/interest_golf.jpeg'),
	('27357477-5fab-4b37-a319-0379ccb294ac', '테니스', '🎾', 'images/interests/interest_tennis.jpeg'),
	('0349d801-e121-4d9b-bae7-8276a6968e4b', '등산', '🥾', 'images/interests/interest_hiking.jpeg'),
	('19100ca3-990b-4535-850f-36c129370965', '여행', '✈️', 'images/interests/interest_travel.jpeg'),
	('195727af-b3ad-4dd3-9c1b-7acb34977040', '요리', '🍳', 'images/interests/interest_cooking.jpeg'),
	('58c50854-5b52-43f9-b286-85445d34066f', '독서', '📚', 'images/interests/interest_reading.jpeg'),
	('63c2e59b-2639-4230-b13d-1c0428e76c84', '음악', '🎵', 'images/interests/interest_music.jpeg'),
	('f162c9d9-e288-42b0-94ac-daaee5d666f1', '영화', '🎬', 'images/interests/interest_movie.jpeg'),
	('fe9151c8-0fbd-4d35-b40e-a98c8bdcc648', '사진', '📷', 'images/interests/interest_photo.jpeg'),
	('49fa553b-ffee-490f-87f0-a12aa9c6dc21', '와인', '🍷', 'images/interests/interest_wine.jpeg'),
	('363255a0-d067-40e8-b793-f8293760bae4', '캠핑', '🏕️', 'images/interests/interest_camping.jpeg'),
	('1ae41ba0-3ca0-44d1-9105-e729aa38ae08', '러닝', '🏃', 'images/interests/interest_running.jpeg')
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "professions" ("id", "name", "emoji") VALUES
	('a1321bc2-4d3b-48bb-b094-29d7698a87bd', '의사', '👨‍⚕️'),
	('15632047-ce7a-4bae-8958-b2758ede952e', '변호사', '⚖️'),
	('c0ddf190-93fb-4f1d-bff7-b29eed621ced', '회계사', '🧮'),
	('e12c2e2d-03eb-4438-91fa-3f990547784d', '엔지니어', '👷'),
	('53fd82cf-8045-402b-90cd-5b9540a98cd6', '개발자', '👨‍💻'),
	('5e76d680-ef68-42b2-b490-0a605083364c', '교사', '👩‍🏫'),
	('9cf494f8-9dfd-45df-9dd3-16902937d37b', '디자이너', '🎨'),
	('592767bf-35c4-4430-a97b-1781601b3304', '사업가', '💼'),
	('0298b3d6-d4ba-459e-b42d-10a30476d6ee', '공무원', '🏛️'),
	('7ddd05d9-600d-4c28-8d45-efec74e4a575', '연구원', '🔬')
ON CONFLICT DO NOTHING;
