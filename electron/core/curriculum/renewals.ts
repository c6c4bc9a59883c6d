import type { UpcomingRenewal } from '../../../shared/contract/curriculum';
import type { CoreContext } from '../context';
import { certService } from '../certifications/service';

export const RENEWAL_HORIZON_DAYS = 90;

/** Renewals due within the horizon (and ones in their grace period), soonest first. */
export type RenewalsProvider = () => UpcomingRenewal[];

/** The Today screen's view of the certifications feature: what must be renewed soon. */
export function makeRenewalsProvider(ctx: CoreContext): RenewalsProvider {
  return () =>
    certService(ctx)
      .list()
      .certifications.filter(
        (c) => c.expiresOn !== null && c.daysLeft !== null && c.daysLeft <= RENEWAL_HORIZON_DAYS && (c.daysLeft >= 0 || c.status === 'grace'),
      )
      .sort((a, b) => a.daysLeft! - b.daysLeft!)
      .map((c) => ({
        id: c.id,
        title: c.label ? `${c.abbreviation} (${c.label})` : c.abbreviation || c.name,
        dueOn: c.expiresOn!,
        daysLeft: c.daysLeft!,
        detail: c.shortfallText ?? c.statusText,
      }));
}
