import type { CardStateName } from '../../../shared/contract/flashcards';

// Card states are stored as ts-fsrs numbers (0 New, 1 Learning, 2 Review, 3 Relearning).
const NAMES: readonly CardStateName[] = ['new', 'learning', 'review', 'relearning'];

export function stateName(state: number): CardStateName {
  return NAMES[state] ?? 'new';
}
