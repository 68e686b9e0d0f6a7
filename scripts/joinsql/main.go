// Command joinsql prints the join handout statement as a pgbench script (scripts/bench.sh) for
// the room named by its argument: each transaction a random connection id :c, "now" the
// server's clock. Only :c is a pgbench variable, so the script runs in -M simple (text
// substitution) and -M prepared (a bound parameter) alike.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/monadical/reflector-go/pkg/store"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: joinsql <room name>")
		os.Exit(2)
	}
	room := "'" + strings.ReplaceAll(os.Args[1], "'", "''") + "'"
	q := strings.NewReplacer("$1", room, "$2", "(:c)::text", "$3", "NULL::text", "$4", "now()",
		"$5", "(now() + interval '30 seconds')", "$6", "'joining'",
		"$7", "'handout'", "$8", "'anonymous'", "$9", `'{"path": "existing"}'`).Replace(store.JoinSQL())
	fmt.Printf("\\set c random(1, 2000000000)\n%s;\n", strings.Join(strings.Fields(q), " "))
}
