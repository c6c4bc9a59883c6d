// Checks that need the catalog or the collection (the channel schemas already checked shapes).
// Each throws AppError('invalid_input') naming the field and what to do; callers check before writing.
import { AppError } from '../../../shared/errors';
import type { CertBody } from '../../../shared/contract/certifications';
import { daysBetween, formatUnits, longDate, plusYears } from './dates';
import { LATEST_YEAR, type Rules } from './rules';

const EARLIEST = '1950-01-01';

function bad(message: string): never {
  throw new AppError('invalid_input', message);
}

export function checkEarnedOn(earnedOn: string, today: string): void {
  if (earnedOn > today) bad(`The earned date, ${longDate(earnedOn)}, is in the future; enter the date you earned it.`);
  if (earnedOn < EARLIEST) bad(`The earned date must be in ${EARLIEST.slice(0, 4)} or later.`);
}

export function checkExpiry(rules: Rules, earnedOn: string, expiresOn: string | null, today: string): void {
  if (expiresOn === null) return;
  if (rules.entry.expires === false) bad(`${rules.entry.abbreviation} does not expire, so leave the expiry date empty.`);
  if (expiresOn <= earnedOn) bad(`The expiry date, ${longDate(expiresOn)}, must be after the earned date (${longDate(earnedOn)}).`);
  const limit = plusYears(today, 20);
  if (expiresOn > limit || Number(expiresOn.slice(0, 4)) > LATEST_YEAR) {
    bad(`The expiry date, ${longDate(expiresOn)}, is too far in the future; check the year.`);
  }
}

export function checkCategory(rules: Rules, category: string): void {
  const { body, entry } = rules;
  if (body.categories.length === 0 || entry.expires === false) {
    bad(`${entry.abbreviation} needs no credits, so there is nothing to log.`);
  }
  if (!body.categories.some((c) => c.id === category)) {
    bad(`“${category}” is not a ${body.name} category; choose one of ${body.categories.map((c) => c.label).join(', ')}.`);
  }
}

export function checkCreditDate(date: string, today: string): void {
  if (date > today) bad(`${longDate(date)} is in the future; log credits once you have earned them.`);
  if (date < EARLIEST) bad(`The date must be in ${EARLIEST.slice(0, 4)} or later.`);
}

/** An entry over several days: its first day before its last, within a year, and at most 24 units a day. */
export function checkSpan(body: CertBody, startedOn: string | null, date: string, units: number): void {
  if (startedOn === null) {
    if (units > 24) bad(`${formatUnits(units)} ${body.unit.plural} cannot fit in one day; enter the day it started as well, for an activity over several days.`);
    return;
  }
  if (startedOn >= date) bad(`The start date, ${longDate(startedOn)}, must be before the day it was completed (${longDate(date)}); leave it empty for a one-day activity.`);
  if (startedOn < plusYears(date, -1)) bad('An entry can span at most a year; log a longer programme as one entry per part.');
  const days = daysBetween(startedOn, date) + 1;
  if (units > 24 * days) bad(`${formatUnits(units)} ${body.unit.plural} in ${days} days is more than 24 a day; check the amount and the dates.`);
}

/** A day has 24 hours: the units logged for one day (in the same pool) must not add up to more. */
export function checkDayTotal(body: CertBody, date: string, alreadyThatDay: number, adding: number): void {
  if (alreadyThatDay + adding > 24) {
    bad(
      `${formatUnits(alreadyThatDay)} ${body.unit.plural} are already logged on ${longDate(date)}; ` +
        `adding ${formatUnits(adding)} would make more than 24 in one day.`,
    );
  }
}
