/** Messages of the solver in the product (generate, re-plan, requests). */
export const solverProduct = {
  zh: {
    solver: {
      product: {
        requestInPast: '只能为今天（{{today}}）之后的日期提出排班意愿',
        requestNeedsShift: '想上班的意愿需要选一个班次',
        requestExists: '{{date}} 已经有一条意愿了',
        tooManyRequests: '{{month}} 最多可以提 {{max}} 条意愿',
        notDraft: '只有草稿排班表可以自动生成（当前状态：{{status}}）',
        notPublished: '只有已发布的排班表可以重新规划（当前状态：{{status}}）',
        runActive: '这张排班表已有一个正在进行的求解',
        notRunning: '求解已结束，无法停止（状态：{{status}}）',
        notProposed: '没有待确认的重新规划（状态：{{status}}）',
        interrupted: '求解进程每次运行都被终止，结果未写入排班表，请重新生成',
        failed: '求解失败：{{error}}',
        soft: {
          requestOn: '想上 {{code}} 班的意愿未满足',
          requestOff: '想休息的意愿未满足（这班共 {{count}} 人）',
        },
        why: {
          notEnoughPeople: '可排的人不够：其他人已到上限或有硬性规则限制',
          coverFirst: '为保证最少在岗人数，不得不这样安排',
          onLeave: '这天在休假',
          neededElsewhere: '这天被安排在别的班次以满足在岗人数',
          rulesOrFull: '该班次已满，或休息/连续上班/工时规则不允许',
          neededForCover: '这个班需要这个人才能达到在岗人数',
        },
      },
    },
  },
  en: {
    solver: {
      product: {
        requestInPast: 'Requests can only be made for dates after today ({{today}})',
        requestNeedsShift: 'A request to work needs a shift',
        requestExists: 'There is already a request for {{date}}',
        tooManyRequests: 'At most {{max}} requests in {{month}}',
        notDraft: 'Only a draft roster can be generated (status: {{status}})',
        notPublished: 'Only a published roster can be re-planned (status: {{status}})',
        runActive: 'A solver run is already under way for this roster',
        notRunning: 'The run has finished and cannot be stopped (status: {{status}})',
        notProposed: 'There is no re-plan waiting to be applied (status: {{status}})',
        interrupted:
          'The solver process was killed while running, on every try; nothing was written to the roster. Generate again.',
        failed: 'The solver failed: {{error}}',
        soft: {
          requestOn: 'Request to work {{code}} not met',
          requestOff: 'Request for a day off not met ({{count}} on this shift)',
        },
        why: {
          notEnoughPeople: 'Not enough people: the others are at a limit or held by a hard rule',
          coverFirst: 'Needed to keep the minimum cover',
          onLeave: 'On leave that day',
          neededElsewhere: 'Placed on another shift that day to keep the cover',
          rulesOrFull: 'The shift is full, or rest, run or hour rules do not allow it',
          neededForCover: 'This shift needs this person to reach its cover',
        },
      },
    },
  },
};
