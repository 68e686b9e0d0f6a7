// Package migrate applies the embedded SQL migrations with golang-migrate.
package migrate

import (
	"errors"
	"fmt"

	"github.com/golang-migrate/migrate/v4"
	_ "github.com/golang-migrate/migrate/v4/database/postgres" // postgres:// driver
	"github.com/golang-migrate/migrate/v4/source/iofs"

	"github.com/monadical/reflector-go/db"
)

// Status is where a database stands in the migration chain.
type Status struct {
	Version uint
	Dirty   bool
	Latest  uint
}

func open(url string) (*migrate.Migrate, error) {
	src, err := iofs.New(db.Migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("migrate: source: %w", err)
	}
	m, err := migrate.NewWithSourceInstance("iofs", src, url)
	if err != nil {
		return nil, fmt.Errorf("migrate: open: %w", err)
	}
	return m, nil
}

func run(url string, fn func(*migrate.Migrate) error) (err error) {
	m, err := open(url)
	if err != nil {
		return err
	}
	defer func() {
		srcErr, dbErr := m.Close()
		if err == nil {
			err = errors.Join(srcErr, dbErr)
		}
	}()
	if err := fn(m); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return err
	}
	return nil
}

// Up applies every pending migration.
func Up(url string) error {
	return run(url, func(m *migrate.Migrate) error { return m.Up() })
}

// Down reverts migrations: steps > 0 reverts that many, steps <= 0 reverts all.
func Down(url string, steps int) error {
	return run(url, func(m *migrate.Migrate) error {
		if steps > 0 {
			return m.Steps(-steps)
		}
		return m.Down()
	})
}

// GetStatus reports the applied version and the latest embedded one.
func GetStatus(url string) (Status, error) {
	var st Status
	err := run(url, func(m *migrate.Migrate) error {
		v, dirty, err := m.Version()
		if err != nil && !errors.Is(err, migrate.ErrNilVersion) {
			return err
		}
		st.Version, st.Dirty = v, dirty
		return nil
	})
	if err != nil {
		return st, err
	}
	st.Latest, err = latest()
	return st, err
}

func latest() (uint, error) {
	src, err := iofs.New(db.Migrations, "migrations")
	if err != nil {
		return 0, err
	}
	defer src.Close()
	v, err := src.First()
	if err != nil {
		return 0, err
	}
	for {
		next, err := src.Next(v)
		if err != nil {
			return v, nil // Next fails at the end of the chain (an io.EOF-like error)
		}
		v = next
	}
}
