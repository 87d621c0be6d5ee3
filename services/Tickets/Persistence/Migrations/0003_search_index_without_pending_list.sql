-- New tickets go straight into the search index instead of a pending list that every search scans until a vacuum
-- merges it: a few more microseconds per write, searches that stay fast between vacuums (measured by ./msp bench).
ALTER INDEX tickets_search SET (fastupdate = off);
