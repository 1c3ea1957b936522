-- The pgvector extension, for the embedding columns of later migrations.
CREATE EXTENSION IF NOT EXISTS vector;
