package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hibiken/asynq"
	"github.com/spf13/cobra"

	"github.com/monadical/reflector-go/pkg/tasks"
)

// taskPage is how many tasks one inspector call lists.
const taskPage = 100

// taskStates are the states `tasks list` accepts.
func taskStates() []string {
	return []string{"pending", "scheduled", "retry", "archived", "active", "completed"}
}

// tasksCmd is `tasks list|retry|archive|delete` on REDIS_URL.
func (a *app) tasksCmd() *cobra.Command {
	cmd := group("tasks", "Inspect and act on queued tasks (queues: critical, default, low; REDIS_URL)")
	var limit int
	list := &cobra.Command{Use: "list <queue> [" + strings.Join(taskStates(), "|") + "]", Short: "Tasks of a queue in one state (default pending)",
		Args: cobra.RangeArgs(1, 2), ValidArgsFunction: queueThenState,
		RunE: func(cmd *cobra.Command, args []string) error {
			state := "pending"
			if len(args) == 2 {
				state = args[1]
			}
			return a.with(cmd, usesQueue, func(ctx context.Context, c *ctl) error { return c.tasksList(ctx, args[0], state, limit) })
		}}
	list.Flags().IntVar(&limit, "limit", 1000, "at most this many tasks")
	cmd.AddCommand(list)
	for _, act := range []struct{ name, short string }{
		{"retry", "Run a retry, scheduled or archived task now"},
		{"archive", "Archive a task (it stops being retried)"},
		{"delete", "Delete a task"},
	} {
		cmd.AddCommand(&cobra.Command{Use: act.name + " <queue> <task_id>", Short: act.short, Args: cobra.ExactArgs(2),
			ValidArgsFunction: queueThenState, RunE: func(cmd *cobra.Command, args []string) error {
				return a.with(cmd, usesQueue, func(_ context.Context, c *ctl) error { return c.taskAct(act.name, args[0], args[1]) })
			}})
	}
	return cmd
}

// queueThenState completes a queue name first and a task state second.
func queueThenState(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	switch {
	case len(args) == 0:
		return tasks.QueueNames(), cobra.ShellCompDirectiveNoFileComp
	case len(args) == 1 && cmd.Name() == "list":
		return taskStates(), cobra.ShellCompDirectiveNoFileComp
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// lister returns the inspector's list call for a task state.
func (c *ctl) lister(state string) (func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error), error) {
	switch state {
	case "pending":
		return c.inspector.ListPendingTasks, nil
	case "scheduled":
		return c.inspector.ListScheduledTasks, nil
	case "retry":
		return c.inspector.ListRetryTasks, nil
	case "archived":
		return c.inspector.ListArchivedTasks, nil
	case "active":
		return c.inspector.ListActiveTasks, nil
	case "completed":
		return c.inspector.ListCompletedTasks, nil
	}
	return nil, fmt.Errorf("tasks list: unknown state %q (pending, scheduled, retry, archived, active, completed)", state)
}

func (c *ctl) tasksList(ctx context.Context, queue, state string, limit int) error {
	list, err := c.lister(state)
	if err != nil {
		return err
	}
	infos, err := c.collect(ctx, queue, list, limit)
	if err != nil {
		return fmt.Errorf("tasks list %s %s: %w", queue, state, err)
	}
	return c.printTasks(infos)
}

// collect pages through a list, showing a counter when it takes more than one page.
func (c *ctl) collect(ctx context.Context, queue string, list func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error), limit int) ([]*asynq.TaskInfo, error) {
	var out []*asynq.TaskInfo
	p := progress{w: c.errw, label: "listed"}
	defer p.done()
	for page := 1; len(out) < limit; page++ {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		batch, err := list(queue, asynq.PageSize(taskPage), asynq.Page(page))
		if err != nil {
			return out, err
		}
		out = append(out, batch...)
		if len(batch) < taskPage {
			break
		}
		p.step(len(batch))
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (c *ctl) printTasks(infos []*asynq.TaskInfo) error {
	w := c.tw()
	fmt.Fprintln(w, "ID\tTYPE\tSTATE\tRETRIED\tNEXT\tLAST ERROR\tPAYLOAD")
	for _, t := range infos {
		next := "-"
		if !t.NextProcessAt.IsZero() {
			next = t.NextProcessAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d/%d\t%s\t%s\t%s\n", t.ID, t.Type, t.State, t.Retried, t.MaxRetry, next,
			clip(t.LastErr, 60), clip(string(t.Payload), 80))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(c.errw, "%d task(s)\n", len(infos))
	return nil
}

// taskAct retries (runs now), archives or deletes one task.
func (c *ctl) taskAct(action, queue, id string) error {
	var err error
	switch action {
	case "retry":
		err = c.inspector.RunTask(queue, id)
	case "archive":
		err = c.inspector.ArchiveTask(queue, id)
	case "delete":
		err = c.inspector.DeleteTask(queue, id)
	}
	if err != nil {
		return fmt.Errorf("tasks %s %s %s: %w", action, queue, id, err)
	}
	fmt.Fprintf(c.out, "%s: %s done\n", id, action)
	return nil
}

// runCmd is `run <periodic job> [--wait]`: it enqueues one tick of a job of the scheduler's
// table now and, with --wait, follows it until it completes or gives up.
func (a *app) runCmd() *cobra.Command {
	var wait bool
	var timeout time.Duration
	cmd := &cobra.Command{Use: "run <periodic job>", Short: "Run a scheduled job now, e.g. meeting:process (REDIS_URL)",
		Args: cobra.MaximumNArgs(1), RunE: func(cmd *cobra.Command, args []string) error {
			return a.with(cmd, usesQueue|usesSchedule, func(ctx context.Context, c *ctl) error {
				return c.run(ctx, append(args, "")[0], wait, timeout)
			})
		}}
	cmd.Flags().BoolVar(&wait, "wait", false, "wait for the job to finish, showing its state")
	cmd.Flags().DurationVar(&timeout, "timeout", 15*time.Minute, "how long --wait waits")
	return cmd
}

func (c *ctl) run(ctx context.Context, job string, wait bool, timeout time.Duration) error {
	if job == "" {
		return fmt.Errorf("run: want one periodic job: %s", strings.Join(c.jobNames(), ", "))
	}
	p, ok := tasks.Find(c.table, job)
	if !ok {
		return fmt.Errorf("run: %q is not a scheduled job in this configuration (have: %s)", job,
			strings.Join(c.jobNames(), ", "))
	}
	t, id := p.RunNowTask(c.now())
	if _, err := c.queue.EnqueueContext(ctx, t); err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return fmt.Errorf("run %s: %w", p.Type, err)
	}
	fmt.Fprintf(c.out, "queued %s on %s as %s\n", p.Type, p.Queue, id)
	if !wait {
		return nil
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return c.follow(wctx, p.Queue, id)
}

func (c *ctl) jobNames() []string {
	names := make([]string, 0, len(c.table))
	for _, p := range c.table {
		names = append(names, p.Type)
	}
	return names
}

// follow polls a task's state on stderr until it is completed or archived.
func (c *ctl) follow(ctx context.Context, queue, id string) error {
	start := c.now()
	for {
		info, err := c.inspector.GetTaskInfo(queue, id)
		if err != nil {
			return fmt.Errorf("run: task %s: %w", id, err)
		}
		fmt.Fprintf(c.errw, "\r%s: %-9s %5.1fs", id, info.State, c.now().Sub(start).Seconds())
		switch info.State {
		case asynq.TaskStateCompleted:
			fmt.Fprintln(c.errw)
			return nil
		case asynq.TaskStateArchived:
			fmt.Fprintln(c.errw)
			return fmt.Errorf("run: %s failed: %s", id, info.LastErr)
		}
		select {
		case <-ctx.Done():
			fmt.Fprintln(c.errw)
			return fmt.Errorf("run: waiting for %s: %w", id, ctx.Err())
		case <-time.After(c.poll):
		}
	}
}
