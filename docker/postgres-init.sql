-- Run by the postgres image on its first start (docker/compose.yaml mounts it into
-- /docker-entrypoint-initdb.d): each subgraph owns its own database, and no subgraph reads
-- another's tables. Each subgraph applies its own migrations at start.
CREATE DATABASE memory;
CREATE DATABASE provider;
CREATE DATABASE security;
CREATE DATABASE ui;
CREATE DATABASE tools;

-- Memory stores embeddings in pgvector columns. Created here by the superuser so that the
-- extension exists before memory's migrations run, whatever role they run as.
\connect memory
CREATE EXTENSION IF NOT EXISTS vector;
