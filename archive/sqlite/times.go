package sqlite

import (
	"database/sql"
	"time"
)

// stampLayout is RFC 3339 with a fixed nine-digit fraction. Our own times
// are stored in it in UTC, so text order is time order and SQL compares
// them as strings (RFC3339Nano trims zeros: "…:05Z" would sort after
// "…:05.5Z").
const stampLayout = "2006-01-02T15:04:05.000000000Z07:00"

func stamp(t time.Time) string { return t.UTC().Format(stampLayout) }

func parseStamp(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

// publisherTime keeps the publisher's offset (an article dated 10:00+03:00
// reads back as 10:00+03:00), "" for the zero time.
func publisherTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

func parsePublisherTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// utcColumn is the filter column for a publisher time: NULL when unknown, so
// queries fall back to the fetch time with coalesce.
func utcColumn(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: stamp(t), Valid: true}
}
