-- Room on each page for HOT updates: reading a memory touches last_accessed_at (for the
-- least-recently-used eviction), and a HOT update leaves the indexes, HNSW included, alone.
ALTER TABLE memories SET (fillfactor = 80);
