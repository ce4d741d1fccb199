import type { Post, ShiftType } from './roster.schema.js';

/** A small team used by the tests: three 8 h shifts and two posts. */
export const D: ShiftType = {
  id: 'st-d',
  code: 'D',
  name: '白班',
  start: '08:00',
  end: '16:00',
  breakMinutes: 30,
  colour: '#ffd666',
};
export const E: ShiftType = {
  id: 'st-e',
  code: 'E',
  name: '中班',
  start: '16:00',
  end: '00:00',
  breakMinutes: 30,
  colour: '#95de64',
};
export const N: ShiftType = {
  id: 'st-n',
  code: 'N',
  name: '夜班',
  start: '00:00',
  end: '08:00',
  breakMinutes: 30,
  colour: '#597ef7',
  night: true,
};
export const shiftTypes = [D, E, N];
export const tech: Post = {
  id: 'p-tech',
  name: '技术',
  shiftTypeIds: ['st-d', 'st-e', 'st-n'],
  cover: [
    { shiftTypeId: 'st-d', dayKind: 'weekday', min: 1, preferred: 2 },
    { shiftTypeId: 'st-n', dayKind: 'weekday', min: 1, preferred: 1 },
  ],
  requiredSkills: ['linux'],
};
export const desk: Post = {
  id: 'p-desk',
  name: '客服',
  shiftTypeIds: ['st-d', 'st-e'],
  cover: [],
  requiredSkills: [],
};
export const posts = [tech, desk];
