// Package archive is newsvault's domain: the cleaned Article, the Capture
// (one fetch of a page, raw bytes included) it was cleaned from, the Store
// that keeps versions of both, and the JSON / JSON Lines encoding users export.
//
// It imports no other newsvault package and knows nothing of SQL: storage
// backends such as archive/sqlite implement Store.
package archive
