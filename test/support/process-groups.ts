// Processes on this machine by command line and by process group, read from /proc, for suites
// that check what is left running after a process dies (local commands, and the remote ones of
// the loopback sshd fleet, which run on this same machine).
import { readdirSync, readFileSync } from 'node:fs';
import { processAlive } from '../../src-main/engine/ownership';

function pids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/**
 * Live processes (a zombie counts as gone) whose command line starts with `prefix`, such as
 * `sleep 30.417`: the program itself, not the shells that only name it in their `-c` text.
 */
export function processesStartingWith(prefix: string): number[] {
  return pids().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').startsWith(prefix) && processAlive(pid);
    } catch {
      return false;
    }
  });
}

/** The process group of a process, from /proc/PID/stat (after the parenthesised name: state, ppid, pgrp). */
export function groupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/** Live processes of a process group. */
export function groupMembers(pgid: number): number[] {
  return pids().filter((pid) => {
    try {
      return groupOf(pid) === pgid && processAlive(pid);
    } catch {
      return false;
    }
  });
}
