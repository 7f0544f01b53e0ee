/**
 * The fixed choices of a schedule, apart from its schemas: the CLI lists them in its help and
 * checks its options against them without loading the schema library.
 */
export const weekDays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekDay = (typeof weekDays)[number];

export const overlapPolicies = ['skip', 'queue', 'allow'] as const;
export type OverlapPolicy = (typeof overlapPolicies)[number];

export const missedPolicies = ['skip', 'run-once'] as const;
export type MissedPolicy = (typeof missedPolicies)[number];
