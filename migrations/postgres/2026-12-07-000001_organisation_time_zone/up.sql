-- The IANA time zone whose calendar gives an organisation's "today": records dated after it are
-- refused, currency windows and decisions count from it, and certificates carry its offset.
-- Existing organisations are Swedish; a Finnish one is set to Europe/Helsinki by its admin.
ALTER TABLE organisations ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/Stockholm';
