-- Searches read the words of a query with this configuration: 'simple', except that a hyphenated word stays one word.
-- With 'simple', "wi-fi" becomes the phrase 'wi-fi' <-> 'wi' <-> 'fi', whose selectivity PostgreSQL estimates as
-- the product of three common words: a few rows instead of thousands, so it rechecks every match through the index
-- instead of walking the newest tickets (48 ms against 0.5 ms with 100k tickets). The stored vectors keep the parts,
-- so "fi" still finds "wi-fi", and 'wi-fi' alone finds exactly what the phrase found.
CREATE TEXT SEARCH CONFIGURATION msp_query (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION msp_query DROP MAPPING FOR hword_part, hword_asciipart, hword_numpart;
