/**
 * Solver messages (merge into src/i18n/catalog.ts: one import line, owned by the i18n owner).
 * Params: line/reason for file errors; employee/day/shift/detail for infeasibility reasons.
 */
export const solver = {
  zh: {
    solver: {
      errors: {
        malformedInstance: '排班实例文件第 {{line}} 行格式错误：{{reason}}',
        malformedRoster: '排班表文件第 {{line}} 行格式错误：{{reason}}',
      },
      infeasible: {
        minAboveMax: '员工 {{employee}} 的最少工时大于最多工时',
        cannotReachMinMinutes: '员工 {{employee}} 无法达到最少工时：{{detail}}',
        pinOnDayOff: '员工 {{employee}} 在第 {{day}} 天被固定上班，但这天是其休息日',
        pinForbiddenShift: '员工 {{employee}} 在第 {{day}} 天被固定为不允许的班次 {{shift}}',
        pinConflict:
          '员工 {{employee}} 第 {{day}} 天被固定为两个不同的班次（其一为 {{shift}}），只能保留一个',
        pinSuccession:
          '员工 {{employee}} 第 {{day}} 天的固定班次 {{shift}} 不能接在前一天的班次之后',
        notEnoughPeople: '第 {{day}} 天班次 {{shift}} 需要的人数超过可排人数：{{detail}}',
        employeeRules:
          '员工 {{employee}} 的各项规则（休息日、连续上班、工时、周末）相互矛盾，排不出合规的班',
        noneFound: '在时限内没有找到满足所有硬性规则的排班（未排好的员工：{{employees}}）',
        coverNotMet:
          '{{day}} {{shift}} 只排到 {{count}} 人，至少需要 {{min}} 人：当天能上这个班的 {{eligible}} 人都被其他班次或休息、连续上班、工时规则占用，在时限内没有找到满足最少在岗人数的排班',
      },
    },
  },
  en: {
    solver: {
      errors: {
        malformedInstance: 'Roster instance file, line {{line}}: {{reason}}',
        malformedRoster: 'Roster file, line {{line}}: {{reason}}',
      },
      infeasible: {
        minAboveMax: 'Employee {{employee}}: minimum minutes exceed maximum minutes',
        cannotReachMinMinutes: 'Employee {{employee}} cannot reach the minimum minutes: {{detail}}',
        pinOnDayOff: 'Employee {{employee}} is pinned to work on day {{day}}, a day off',
        pinForbiddenShift:
          'Employee {{employee}} is pinned on day {{day}} to shift {{shift}}, which they may not work',
        pinConflict:
          'Employee {{employee}} is pinned to two different shifts on day {{day}} (one is {{shift}}); only one can be kept',
        pinSuccession:
          'Employee {{employee}}: pinned shift {{shift}} on day {{day}} may not follow the previous day’s shift',
        notEnoughPeople:
          'Day {{day}}, shift {{shift}} needs more people than can work it: {{detail}}',
        employeeRules:
          'Employee {{employee}}: the rules (days off, runs, minutes, weekends) contradict each other; no valid roster exists',
        noneFound:
          'No roster satisfying every hard rule was found in the time limit (not placed: {{employees}})',
        coverNotMet:
          '{{day}} {{shift}}: {{count}} placed, at least {{min}} needed. The {{eligible}} people who can work it that day are needed on other shifts or held by rest, run or hour rules; no roster meeting the minimum cover was found in the time limit',
      },
    },
  },
};
