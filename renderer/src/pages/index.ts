// Every page, by the name used in the address (#/<name>). Those with nav: true are the navigation.
import type { ComponentType } from 'react';
import { TodayPage } from './Today';
import { StudyPage } from './Study';
import { DecksPage } from './Decks';
import { CertificationsPage } from './Certifications';
import { CurriculumPage } from './Curriculum';
import { StatsPage } from './Stats';
import { SettingsPage } from './Settings';
import { BrowsePage } from './Browse';
import { NoteEditorPage } from './NoteEditor';
import { ImportPage } from './Import';
import { AboutPage } from './About';
import { ExamsPage } from './exams/Exams';
import { ExamSessionPage } from './exams/Session';
import { ExamReviewPage } from './exams/Review';
import { QuestionsPage } from './exams/Questions';
import { QuestionEditorPage } from './exams/QuestionEditor';

export interface PageDef {
  name: string;
  label: string;
  component: ComponentType;
  /** Shown in the sidebar (with Ctrl/Cmd + its position as shortcut). */
  nav: boolean;
}

export const pages: PageDef[] = [
  { name: 'today', label: 'Today', component: TodayPage, nav: true },
  { name: 'study', label: 'Study', component: StudyPage, nav: true },
  { name: 'decks', label: 'Decks', component: DecksPage, nav: true },
  { name: 'certifications', label: 'Certifications', component: CertificationsPage, nav: true },
  { name: 'curriculum', label: 'Curriculum', component: CurriculumPage, nav: true },
  { name: 'exams', label: 'Exams', component: ExamsPage, nav: true },
  { name: 'stats', label: 'Stats', component: StatsPage, nav: true },
  { name: 'settings', label: 'Settings', component: SettingsPage, nav: true },
  { name: 'browse', label: 'Browse', component: BrowsePage, nav: false },
  { name: 'editor', label: 'Add note', component: NoteEditorPage, nav: false },
  { name: 'import', label: 'Import & export', component: ImportPage, nav: false },
  { name: 'about', label: 'About & licences', component: AboutPage, nav: false },
  { name: 'exam', label: 'Mock exam', component: ExamSessionPage, nav: false },
  { name: 'exam-review', label: 'Exam review', component: ExamReviewPage, nav: false },
  { name: 'questions', label: 'Questions', component: QuestionsPage, nav: false },
  { name: 'question', label: 'Question', component: QuestionEditorPage, nav: false },
];
