package sqlite

import (
	"context"
	"fmt"
	"strconv"
)

// qIndexVersions adds versions, by id (a JSON array), to the full-text
// index; versions_fts_source folds ё as the index wants.
const qIndexVersions = `
	INSERT INTO versions_fts (rowid, title, text)
	SELECT id, title, text FROM versions_fts_source WHERE id IN (SELECT value FROM json_each(?))`

// indexVersions adds the versions ids to the full-text index, in one
// statement: FTS5 writes its pending terms to disk at the end of each
// statement in a transaction, so indexing a transaction's versions
// together makes one index segment, not one per version. It must run in
// the transaction that inserted them.
func indexVersions(ctx context.Context, tx execer, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	list := make([]byte, 0, 16*len(ids))
	list = append(list, '[')
	for i, id := range ids {
		if i > 0 {
			list = append(list, ',')
		}
		list = strconv.AppendInt(list, id, 10)
	}
	list = append(list, ']')
	if _, err := tx.ExecContext(ctx, qIndexVersions, string(list)); err != nil {
		return fmt.Errorf("index versions for search: %w", mapErr(err))
	}
	return nil
}
