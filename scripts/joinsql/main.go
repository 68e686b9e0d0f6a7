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
	// One joiner: each array of the batch statement has one element. "$10" goes first, so
	// that "$1" does not match its prefix.
	q := strings.NewReplacer("$10", `ARRAY['{"path": "existing"}']`, "$1", room, "$2", "now()",
		"$3", "ARRAY[(:c)::text]", "$4", "ARRAY['']", "$5", "ARRAY['joining']", "$6", "ARRAY[now()]",
		"$7", "ARRAY[now() + interval '30 seconds']", "$8", "ARRAY['handout']", "$9", "ARRAY['anonymous']").Replace(store.JoinSQL())
	fmt.Printf("\\set c random(1, 2000000000)\n%s;\n", strings.Join(strings.Fields(q), " "))
}
