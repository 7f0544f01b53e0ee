import { InvalidArgumentError, Option, type Command } from 'commander';
import { FlowdeckError } from '../../../src-shared/errors';
import type { JsonValue } from '../../../src-shared/domain/inventory';
import type { ScheduleInput, ScheduleView, ScheduleWhen } from '../../../src-shared/domain/schedule';
import { missedPolicies, overlapPolicies, weekDays, type WeekDay } from '../../../src-shared/domain/schedule-options';
import { formatInZone } from '../../schedules/zone';
import { deleteSchedule, listSchedules, setScheduleEnabled } from '../../store/schedule-queries';
import type { CliContext } from '../context';
import { CliExit, collect, err, out, parseKeyValues } from '../io';
import { table, time } from '../format';

interface AddOptions {
  cron?: string;
  days?: string;
  at?: string;
  tz: string;
  param: string[];
  name?: string;
  overlap: ScheduleInput['overlap'];
  missed: ScheduleInput['missed'];
  missedWindow?: number;
  disabled?: boolean;
  json?: boolean;
}

/** `mon,wed`, `mon-fri`, `daily`; names as in cron, any case. */
function parseDays(text: string): WeekDay[] {
  const isDay = (d: string): d is WeekDay => (weekDays as readonly string[]).includes(d);
  if (/^(daily|all|\*)$/i.test(text.trim())) return [...weekDays];
  const out = new Set<WeekDay>();
  for (const part of text.toLowerCase().split(',').map((p) => p.trim()).filter(Boolean)) {
    const [a, b] = part.split('-').map((p) => p.trim().slice(0, 3));
    if (a === undefined || !isDay(a) || (b !== undefined && !isDay(b))) {
      throw new FlowdeckError('invalid-input', `--days: "${part}" is not a day of the week (write mon,tue,...,sun or a range such as mon-fri)`);
    }
    if (b === undefined) out.add(a);
    else for (let i = weekDays.indexOf(a); ; i = (i + 1) % 7) {
      out.add(weekDays[i] as WeekDay);
      if (weekDays[i] === b) break;
    }
  }
  if (out.size === 0) throw new FlowdeckError('invalid-input', '--days: give at least one day of the week');
  return weekDays.filter((d) => out.has(d));
}

function scheduleId(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw new CliExit(2, `flowdeck: "${text}" is not a schedule id (see \`flowdeck schedule list\`)`);
  return Number(text);
}

function seconds(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError('must be a whole number of seconds');
  return Number(text);
}

function nextRunsText(v: ScheduleView): string {
  if (!v.enabled) return `  disabled: it does not run until \`flowdeck schedule enable ${v.id}\`\n`;
  if (v.nextRuns.length === 0) return '  it never runs again\n';
  return 'next runs:\n' + v.nextRuns.map((t) => `  ${formatInZone(t, v.timezone)}  (${time(t)})\n`).join('');
}

export function scheduleCommands(program: Command, cli: CliContext): void {
  const sch = program.command('schedule').description('run flows on a schedule (in `flowdeck serve` or the desktop app): days + time or cron, per time zone');

  sch
    .command('add')
    .description('add a schedule; prints its id and its next runs')
    .argument('<flow>')
    .option('--cron <expr>', 'a cron expression: 5 fields (minute first) or 6 (second first), or @daily, @hourly...')
    .option('--days <days>', 'days of the week, e.g. mon,wed or mon-fri (with --at)')
    .option('--at <HH:MM>', 'the time of day, 24-hour (with --days)')
    .option('--tz <zone>', 'IANA time zone the times are in, e.g. Europe/Berlin', 'UTC')
    .option('-p, --param <key=value>', 'a flow parameter (repeatable)', collect, [])
    .option('--name <text>', 'a display name')
    .addOption(new Option('--overlap <policy>', 'when the previous run is still going').choices(overlapPolicies).default('skip'))
    .addOption(new Option('--missed <policy>', 'a run missed while nothing was running').choices(missedPolicies).default('skip'))
    .option('--missed-window <seconds>', 'how late a missed run may still be made up (with --missed run-once; default 3600)', seconds)
    .option('--disabled', 'add it disabled')
    .option('--json', 'print the schedule as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  flowdeck schedule add nightly-backup --days mon-fri --at 02:30 --tz Europe/Berlin\n' +
        "  flowdeck schedule add health-check --cron '*/5 * * * *' --param level=quick --overlap skip\n" +
        "  flowdeck schedule add report --cron '0 7 1 * *' --missed run-once --missed-window 86400\n",
    )
    .action(async (flow: string, opts: AddOptions) => {
      if ((opts.cron === undefined) === (opts.days === undefined)) {
        throw new CliExit(2, 'flowdeck: schedule add takes exactly one of --cron EXPR or --days DAYS --at HH:MM');
      }
      if ((opts.days === undefined) !== (opts.at === undefined)) throw new CliExit(2, 'flowdeck: --days and --at go together');
      const when: ScheduleWhen = opts.cron !== undefined ? { cron: opts.cron } : { days: parseDays(opts.days ?? ''), at: opts.at ?? '' };
      const [{ dayTimeToCron }, { saveSchedule }, { scheduleView }] = await Promise.all([
        import('../../schedules/cron-expression'),
        import('../../schedules/save'),
        import('../../schedules/view'),
      ]);
      // Says "time "25:00" must be HH:MM" rather than the schema's "when.at".
      if ('days' in when) dayTimeToCron(when.days, when.at);
      const input: ScheduleInput = {
        flow,
        when,
        timezone: opts.tz,
        params: parseKeyValues(opts.param, 'param') as Record<string, JsonValue>,
        enabled: !opts.disabled,
        overlap: opts.overlap,
        missed: opts.missed,
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        ...(opts.missedWindow !== undefined ? { missedWindowSeconds: opts.missedWindow } : {}),
      };
      const v = scheduleView(saveSchedule(await cli.db(), input));
      if (opts.json) await out(JSON.stringify(v, null, 2) + '\n');
      else await out(`schedule ${v.id} added: flow ${v.flow}, ${v.description}\n${nextRunsText(v)}`);
      if (v.enabled) {
        // Saved either way; said now rather than on the first night.
        const { wouldNotStart } = await import('../../schedules/dry-start');
        const warning = await wouldNotStart(await cli.runtime(), flow, v.params);
        if (warning) err(`flowdeck: warning: schedule ${v.id}: ${warning}`);
      }
    });

  sch
    .command('list')
    .description('list schedules with their next run')
    .option('--flow <flow>', 'only the schedules of this flow')
    .option('--json', 'print JSON (an array of schedules)')
    .action(async (opts: { flow?: string; json?: boolean }) => {
      const { scheduleView } = await import('../../schedules/view');
      const now = Date.now();
      const views = listSchedules(await cli.db(), opts.flow).map((s) => scheduleView(s, now));
      if (opts.json) {
        await out(JSON.stringify(views, null, 2) + '\n');
        return;
      }
      await out(
        table(
          ['ID', 'FLOW', 'NAME', 'WHEN', 'ON', 'NEXT RUN', 'LAST RUN'],
          views.map((v) => [
            String(v.id),
            v.flow,
            v.name ?? '-',
            v.description,
            v.enabled ? 'yes' : 'no',
            v.nextRuns[0] !== undefined ? formatInZone(v.nextRuns[0], v.timezone) : '-',
            v.lastFiredAt !== null ? formatInZone(v.lastFiredAt, v.timezone) : '-',
          ]),
        ),
      );
    });

  sch
    .command('rm')
    .description('remove a schedule (its past executions stay)')
    .argument('<id>')
    .action(async (id: string) => {
      const n = scheduleId(id);
      if (!deleteSchedule(await cli.db(), n)) throw new FlowdeckError('not-found', `unknown schedule ${n}`);
      await out(`schedule ${n} removed\n`);
    });

  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    sch
      .command(verb)
      .description(enabled ? 'let a schedule run again' : 'stop a schedule from running (it is kept)')
      .argument('<id>')
      .action(async (id: string) => {
        const { scheduleView } = await import('../../schedules/view');
        const v = scheduleView(setScheduleEnabled(await cli.db(), scheduleId(id), enabled));
        await out(`schedule ${v.id} ${enabled ? 'enabled' : 'disabled'}: flow ${v.flow}, ${v.description}\n${enabled ? nextRunsText(v) : ''}`);
      });
  }
}
