// Words the generated notes are made of. Domain words are drawn with Zipf frequencies (ranked by their
// position here), so search sees what real collections have: a few words on a third of the notes, most
// words on a handful.

export const FUNCTION_WORDS = (
  'the of and to a in is that for it as with on be by this are from or at an which not can when what ' +
  'should each who how if its their more than into after before during only most also between both other ' +
  'without through about over under every any one two three first next last same own'
).split(' ');

export const DOMAIN_WORDS = (
  'product team project backlog sprint stakeholder scope risk value customer requirement release roadmap ' +
  'owner scrum plan change quality schedule cost delivery feature user story increment review goal ' +
  'estimate velocity process agile vision market priority acceptance criteria budget resource issue ' +
  'dependency milestone metric outcome meeting charter baseline communication procurement contract ' +
  'retrospective planning refinement definition done impediment servant leader developer testing ' +
  'iteration kanban flow throughput cycle lead time capacity forecast burndown burnup epic theme ' +
  'initiative portfolio program governance sponsor approval variance earned performance index ' +
  'schedule critical path float lag duration activity sequence network diagram decomposition work ' +
  'breakdown structure package deliverable validation control monitoring closing initiating executing ' +
  'register log matrix responsibility assignment escalation mitigation contingency reserve management ' +
  'transfer avoidance acceptance exploit enhance share threat opportunity probability impact qualitative ' +
  'quantitative analysis simulation sensitivity decision tree expected monetary persona journey interview ' +
  'survey experiment hypothesis prototype mockup wireframe usability adoption retention churn activation ' +
  'funnel conversion cohort segment pricing positioning competitor differentiation proposition north star ' +
  'objective result alignment strategy tactic discovery validation learning pivot minimum viable ' +
  'launch rollout rollback canary flag telemetry incident postmortem availability latency reliability ' +
  'architecture interface integration migration deployment pipeline build continuous automation coverage ' +
  'defect regression bug triage severity technical debt refactoring documentation specification api ' +
  'service platform infrastructure vendor licence compliance audit security privacy consent regulation ' +
  'negotiation conflict resolution facilitation coaching motivation trust feedback culture empowerment ' +
  'transparency inspection adaptation empiricism commitment courage focus openness respect timebox ' +
  'daily standup demo showcase cadence synchronisation release train increment planning innovation ' +
  'tolerance threshold trigger appetite tradeoff prioritisation moscow kano rice weighted shortest job ' +
  'first delay economic benefit realisation business case feasibility payback return investment npv irr ' +
  'lifecycle predictive adaptive hybrid tailoring phase gate waterfall spiral incremental iterative ' +
  'organisational structure functional projectized pmo operations benefit transition handover training ' +
  'knowledge lessons learned asset enterprise environmental factor tool technique input output ' +
  'certification renewal credit education unit exam domain task enabler practice guide standard ' +
  'ethics honesty fairness raci swimlane gantt pert triangular beta distribution monte carlo ' +
  'histogram pareto fishbone ishikawa control chart run chart scatter benchmarking brainstorming ' +
  'delphi nominal affinity mind map focus group workshop observation questionnaire prototype ' +
  'storyboarding context diagram traceability ambiguity volatility complexity uncertainty emergence ' +
  'cynefin stacey wideband planning poker fibonacci tshirt sizing spike enabler runway guardrail'
)
  .split(/\s+/)
  .filter((w, i, all) => w && all.indexOf(w) === i);

// The long tail of a real collection's vocabulary (names, jargon, other languages' words): made-up
// words from syllables, deterministic, none equal to a domain word.
const SYLLABLES = 'ka lo mi ren tor va sel dun pra ith os ul bre gan fi zo mar tek sun ola bri cas del ent far gol hun ire jas kel lum nor pex qui rus sta tiv umb vex wol yar zen'.split(' ');

function tailWords(count: number, taken: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const seen = new Set(taken);
  // A fixed linear-congruential walk over syllable combinations: the same list everywhere.
  let x = 12345;
  while (out.length < count) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const parts = 2 + (x % 3);
    let w = '';
    let y = x;
    for (let i = 0; i < parts; i++) {
      w += SYLLABLES[y % SYLLABLES.length];
      y = Math.floor(y / SYLLABLES.length) + i * 7919;
    }
    if (!seen.has(w)) {
      seen.add(w);
      out.push(w);
    }
  }
  return out;
}

/** Every content word, most frequent first: the domain words, then the tail (about 6,000 in all). */
export const CONTENT_WORDS = [...DOMAIN_WORDS, ...tailWords(6000 - DOMAIN_WORDS.length, new Set(DOMAIN_WORDS))];

export const TAG_WORDS = (
  'pmp capm cspo csm psm pspo safe acp prince2 itil exam-prep chapter-1 chapter-2 chapter-3 chapter-4 ' +
  'chapter-5 chapter-6 chapter-7 chapter-8 hard important review-later formula definition acronym ' +
  'process-group knowledge-area people process business-environment agile predictive hybrid leech marked ' +
  'interview-prep case-study metrics stakeholders risk quality schedule cost scope comms procurement'
).split(/\s+/);

/** Top-level deck names; subdecks are made from SUBDECK_WORDS and numbered parts. */
export const TOP_DECKS = [
  'PMP Exam Prep',
  'Scrum',
  'Product Management',
  'Agile Practices',
  'Technical Program Management',
  'Risk Management',
  'Leadership',
  'Software Engineering',
  'Data and Metrics',
  'Business Analysis',
  'Interview Prep',
  'Languages',
  'Certifications',
];

export const SUBDECK_WORDS = [
  'Foundations', 'Processes', 'People', 'Business Environment', 'Integration', 'Scope', 'Schedule', 'Cost',
  'Quality', 'Resources', 'Communications', 'Procurement', 'Stakeholders', 'Ethics', 'Formulas', 'Vocabulary',
  'Roles', 'Events', 'Artifacts', 'Estimation', 'Discovery', 'Delivery', 'Strategy', 'Pricing', 'Analytics',
  'Experiments', 'Architecture', 'Testing', 'Operations', 'Security', 'Negotiation', 'Coaching', 'Kanban',
  'Lean', 'Scaling', 'Mock Exams', 'Flash Review', 'Case Studies', 'Spanish', 'German', 'Japanese',
  'Glossary', 'Acronyms', 'Tools', 'Techniques', 'Frameworks', 'Patterns', 'Anti-patterns', 'Readings',
];
