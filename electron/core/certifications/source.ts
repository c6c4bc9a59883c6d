// Plugs certification renewals into the reminders engine (see ../reminders/index.ts).
import { registerReminderSource } from '../reminders';
import { certificationReminders } from './reminderRules';
import { certService } from './service';

export const CERT_REMINDER_SOURCE = 'certifications';

registerReminderSource(CERT_REMINDER_SOURCE, (ctx, now) => certificationReminders(certService(ctx).reminderItems(now), now));
