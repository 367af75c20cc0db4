-- The blog's tables, created on first start (CREATE ... IF NOT EXISTS), the same on PGlite and
-- PostgreSQL. Tornado's demos/blog/schema.sql, with three changes: hashed_password is TEXT (an
-- argon2id PHC string is about 97 characters), the dates are TIMESTAMPTZ (the feed writes UTC),
-- and a sessions table holds the server side of each login.

CREATE TABLE IF NOT EXISTS authors (
    id SERIAL PRIMARY KEY,
    email VARCHAR(100) NOT NULL UNIQUE,
    name VARCHAR(100) NOT NULL,
    hashed_password TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS entries (
    id SERIAL PRIMARY KEY,
    author_id INT NOT NULL REFERENCES authors(id),
    slug VARCHAR(100) NOT NULL UNIQUE,
    title VARCHAR(512) NOT NULL,
    markdown TEXT NOT NULL,
    html TEXT NOT NULL,
    published TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);

CREATE INDEX IF NOT EXISTS entries_published ON entries (published);

-- One row per login: the SHA-256 of the random token the signed cookie carries. Logging in
-- writes a new row (the session is rotated), logging out deletes it.
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    author_id INT NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
    created TIMESTAMPTZ NOT NULL
);
