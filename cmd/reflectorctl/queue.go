package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hibiken/asynq"
	"github.com/spf13/cobra"

	"github.com/monadical/reflector-go/pkg/tasks"
)

// queueCmd is `queue stats|pause|resume|retry-archived` on REDIS_URL.
func (a *app) queueCmd() *cobra.Command {
	cmd := group("queue", "Queue statistics, pause/resume and bulk retry (REDIS_URL)")
	stats := &cobra.Command{Use: "stats [queue...]", Short: "Tasks per state and latency of each queue (default: all)",
		ValidArgs: tasks.QueueNames(), Args: cobra.OnlyValidArgs, RunE: func(cmd *cobra.Command, args []string) error {
			return a.with(cmd, usesQueue, func(_ context.Context, c *ctl) error { return c.queueStats(args) })
		}}
	cmd.AddCommand(stats, a.queueToggle("pause", "Stop workers taking tasks from a queue"),
		a.queueToggle("resume", "Let workers take tasks from a paused queue again"), a.retryArchivedCmd())
	return cmd
}

// queueToggle is `queue pause <queue>` or `queue resume <queue>`.
func (a *app) queueToggle(verb, short string) *cobra.Command {
	return &cobra.Command{Use: verb + " <queue>", Short: short, ValidArgs: tasks.QueueNames(),
		Args: cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs), RunE: func(cmd *cobra.Command, args []string) error {
			return a.with(cmd, usesQueue, func(_ context.Context, c *ctl) error {
				toggle := c.inspector.PauseQueue
				if verb == "resume" {
					toggle = c.inspector.UnpauseQueue
				}
				if err := toggle(args[0]); err != nil {
					return fmt.Errorf("queue %s %s: %w", verb, args[0], err)
				}
				fmt.Fprintf(c.out, "%s: %sd\n", args[0], verb)
				return nil
			})
		}}
}

// queueStats prints one line per queue. A queue nothing was ever enqueued on does not exist
// in Redis yet: it is shown empty, not as an error.
func (c *ctl) queueStats(queues []string) error {
	if len(queues) == 0 {
		queues = tasks.QueueNames()
	}
	known, err := c.inspector.Queues()
	if err != nil {
		return fmt.Errorf("queue stats: %w", err)
	}
	w := c.tw()
	fmt.Fprintln(w, "QUEUE\tPAUSED\tPENDING\tACTIVE\tSCHEDULED\tRETRY\tARCHIVED\tCOMPLETED\tLATENCY\tPROCESSED_TODAY\tFAILED_TODAY")
	for _, q := range queues {
		info := &asynq.QueueInfo{Queue: q}
		if slices.Contains(known, q) {
			if info, err = c.inspector.GetQueueInfo(q); err != nil {
				return fmt.Errorf("queue stats %s: %w", q, err)
			}
		}
		fmt.Fprintf(w, "%s\t%t\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%d\t%d\n", q, info.Paused, info.Pending, info.Active,
			info.Scheduled, info.Retry, info.Archived, info.Completed, info.Latency.Round(time.Millisecond), info.Processed, info.Failed)
	}
	return w.Flush()
}

// retryArchivedCmd is `queue retry-archived <task type> [--queue q]`.
func (a *app) retryArchivedCmd() *cobra.Command {
	var queues []string
	cmd := &cobra.Command{Use: "retry-archived <task type>", Short: "Run every archived task of a type again, e.g. recording:download",
		Args: cobra.ExactArgs(1), RunE: func(cmd *cobra.Command, args []string) error {
			return a.with(cmd, usesQueue, func(ctx context.Context, c *ctl) error { return c.retryArchived(ctx, args[0], queues) })
		}}
	cmd.Flags().StringSliceVar(&queues, "queue", tasks.QueueNames(), "queues to look in")
	return cmd
}

// retryArchived collects the archived tasks of a type first, then runs them: running a task
// takes it off the archived list, which would shift the pages under a paging loop.
func (c *ctl) retryArchived(ctx context.Context, typ string, queues []string) error {
	known, err := c.inspector.Queues()
	if err != nil {
		return fmt.Errorf("queue retry-archived: %w", err)
	}
	total := 0
	for _, q := range queues {
		if !slices.Contains(known, q) {
			continue
		}
		all, err := c.collect(ctx, q, c.inspector.ListArchivedTasks, 1<<30)
		if err != nil {
			return fmt.Errorf("queue retry-archived %s: %w", q, err)
		}
		n, err := c.runAll(ctx, q, typ, all)
		total += n
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(c.out, "retried %d archived %s task(s)\n", total, typ)
	return nil
}

// runAll runs the tasks of type typ among infos, with a progress counter.
func (c *ctl) runAll(ctx context.Context, queue, typ string, infos []*asynq.TaskInfo) (int, error) {
	var ids []string
	for _, t := range infos {
		if t.Type == typ {
			ids = append(ids, t.ID)
		}
	}
	p := progress{w: c.errw, label: "retried on " + queue, total: len(ids)}
	defer p.done()
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return p.n, err
		}
		if err := c.inspector.RunTask(queue, id); err != nil {
			return p.n, fmt.Errorf("queue retry-archived %s %s: %w", queue, id, err)
		}
		p.step(1)
	}
	return p.n, nil
}
