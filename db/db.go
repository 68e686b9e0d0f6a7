// Package db holds the SQL migrations, embedded so every binary and test applies the same set.
package db

import "embed"

// Migrations are the golang-migrate SQL files, applied in name order.
//
//go:embed migrations/*.sql
var Migrations embed.FS
