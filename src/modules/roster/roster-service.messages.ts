/** Messages of the roster store/service/routes (the pure core's are in roster.messages.ts). */
export const rosterService = {
  zh: {
    entities: { shiftType: '班次', post: '岗位' },
    roster: {
      service: {
        rosterOverlap: '该团队在 {{periodStart}}–{{periodEnd}} 已有排班表，日期不能重叠',
        notMember: '{{person}} 不是团队“{{team}}”的成员',
        notEditable: '排班表处于 {{status}} 状态，不能修改（已发布的请先申请修订）',
        notPublished: '排班表尚未发布',
        notAsked: '您不在这张排班表里，无需确认',
        notYourShift: '这不是您的班次',
        notYourSwap: '只有换班双方和值班管理员能查看这次换班的规则检查',
        swapPending: '这个班次已有一个未完成的换班申请',
        approvalBlocked: '换班后会产生 {{count}} 项阻止性规则冲突，不能批准',
        importFailed: '表格有 {{count}} 处错误，未导入任何内容',
        feedForbidden: '只能为自己创建个人日历订阅',
        unknownPost: '岗位 {{postId}} 不存在',
        periodTooLong: '排班周期最长 {{max}} 天',
        checkInTooEarly: '班次尚未开始签到（最早提前 {{hours}} 小时）',
        shiftTimesInUse:
          '班次 {{code}} 已用于已发布的排班表 {{rosters}}，不能再改时间（人员已按此确认）；可新建一个班次',
        shiftTypeInUse:
          '班次 {{code}} 仍被排班表 {{rosters}} 使用，不能删除；请先从这些排班表中移除',
        shiftTypeOnlyOnPost:
          '班次 {{code}} 是岗位“{{post}}”唯一的班次，不能删除；请先修改或删除该岗位',
        postShiftInUse:
          '岗位“{{post}}”的班次 {{codes}} 仍被排班表 {{rosters}} 使用，不能从岗位移除',
        postInUse: '岗位“{{post}}”仍被排班表 {{rosters}} 使用，不能删除',
        postUsedByPolicy:
          '岗位“{{post}}”是告警升级策略 {{policies}} 的“岗位值班人”目标，不能删除；请先修改这些策略',
        nothingToRemind: '所有人都已确认，无需提醒',
        postHasOverrides: '岗位“{{post}}”有 {{count}} 条紧急调班记录，作为值班历史保留，不能删除',
        postNameTaken: '团队已有名为“{{name}}”的岗位',
        cellTwice: '{{person}} 在 {{date}} 的格子出现了两次',
        closeBeforeEnd: '排班周期到 {{periodEnd}} 才结束，结束后才能关闭',
        deleteNotDraft: '只能删除草稿排班表；已发布的排班表可以在周期结束后关闭',
      },
      attendance: {
        sheetName: '考勤 {{period}}',
        columns: {
          person: '姓名',
          date: '日期',
          shift: '班次',
          post: '岗位',
          start: '开始',
          end: '结束',
          checkIn: '签到',
          checkOut: '签退',
          arrival: '到岗',
          lateMinutes: '迟到分钟',
          departure: '离岗',
          earlyLeaveMinutes: '早退分钟',
        },
        arrival: {
          early: '提前到岗',
          on_time: '准时',
          late: '迟到',
          missing: '缺勤',
          pending: '未开始',
          replaced: '已由他人顶班',
          override: '紧急顶班',
        },
        departure: {
          ok: '正常',
          early_leave: '早退',
          no_check_out: '未签退',
          pending: '未结束',
          replaced: '已由他人顶班',
          override: '紧急顶班',
        },
      },
      notify: {
        published: {
          title: '{{period}} 排班已发布',
          body: '团队“{{team}}”{{period}} 的排班已发布，您有 {{shifts}} 个班次。请在 {{hours}} 小时内确认。',
        },
        reminder: {
          title: '请确认 {{period}} 排班',
          body: '您还没有确认团队“{{team}}”{{period}} 的排班，请尽快确认。',
        },
        overdue: {
          title: '{{period}} 排班确认已逾期',
          body: '{{person}} 未在期限内确认团队“{{team}}”{{period}} 的排班。',
        },
        swapRequested: {
          title: '换班请求：{{requester}}',
          body: '{{requester}} 请您替 {{date}} 的 {{shift}}（{{post}}）班次。请接受或拒绝。',
        },
        swapAccepted: {
          title: '换班待审批',
          body: '{{substitute}} 已同意替 {{requester}} 上 {{date}} 的 {{shift}} 班，等待审批。',
        },
        swapDecided: {
          title: '换班申请{{outcome}}',
          body: '{{requester}} 与 {{substitute}} 关于 {{date}} {{shift}} 班的申请：{{outcome}}。',
        },
        leaveRequested: {
          title: '请假申请：{{person}}',
          body: '{{person}} 申请 {{kind}}：{{startDate}}–{{endDate}}。',
        },
        leaveDecided: {
          title: '请假申请{{outcome}}',
          body: '您 {{startDate}}–{{endDate}} 的申请：{{outcome}}。',
        },
        override: {
          title: '紧急调班：{{post}}',
          body: '{{person}} 被安排在岗位“{{post}}”值班，{{from}} 至 {{to}}。原因：{{reason}}',
        },
      },
    },
  },
  en: {
    entities: { shiftType: 'shift type', post: 'post' },
    roster: {
      service: {
        rosterOverlap:
          'The team already has a roster for {{periodStart}}–{{periodEnd}}; periods cannot overlap',
        notMember: '{{person}} is not a member of team "{{team}}"',
        notEditable:
          'The roster is {{status}} and cannot be changed (amend a published roster first)',
        notPublished: 'The roster is not published yet',
        notAsked: 'You are not on this roster and need not confirm it',
        notYourShift: 'This is not your shift',
        notYourSwap: 'Only the two people of this swap and the duty admin can see its rule check',
        swapPending: 'This shift already has an open swap request',
        approvalBlocked: 'The swap would break {{count}} blocking rule(s); it cannot be approved',
        importFailed: 'The sheet has {{count}} error(s); nothing was imported',
        feedForbidden: 'You can only create a personal calendar feed for yourself',
        unknownPost: 'Post {{postId}} does not exist',
        periodTooLong: 'A roster period is at most {{max}} days',
        checkInTooEarly: 'Check-in opens at most {{hours}} h before the shift',
        shiftTimesInUse:
          'Shift {{code}} is used by the published roster(s) {{rosters}}; its times cannot change (people confirmed them). Create a new shift type instead',
        shiftTypeInUse:
          'Shift {{code}} is still used by the roster(s) {{rosters}}; remove it from them first',
        shiftTypeOnlyOnPost:
          'Shift {{code}} is the only shift of post "{{post}}"; change or delete that post first',
        postShiftInUse:
          'Shift(s) {{codes}} of post "{{post}}" are still used by the roster(s) {{rosters}} and cannot be taken off the post',
        postInUse:
          'Post "{{post}}" is still used by the roster(s) {{rosters}}; it cannot be deleted',
        postUsedByPolicy:
          'Post "{{post}}" is the "on duty on post" target of the escalation policy(ies) {{policies}}; change those policies first',
        nothingToRemind: 'Everyone has confirmed; there is nobody to remind',
        postHasOverrides:
          'Post "{{post}}" has {{count}} emergency override(s), kept as duty history; it cannot be deleted',
        postNameTaken: 'The team already has a post named "{{name}}"',
        cellTwice: 'The cell of {{person}} on {{date}} appears twice',
        closeBeforeEnd: 'The roster period runs until {{periodEnd}}; it can be closed after that',
        deleteNotDraft:
          'Only a draft roster can be deleted; close a published one after its period',
      },
      attendance: {
        sheetName: 'Attendance {{period}}',
        columns: {
          person: 'Name',
          date: 'Date',
          shift: 'Shift',
          post: 'Post',
          start: 'Start',
          end: 'End',
          checkIn: 'Check-in',
          checkOut: 'Check-out',
          arrival: 'Arrival',
          lateMinutes: 'Minutes late',
          departure: 'Departure',
          earlyLeaveMinutes: 'Minutes left early',
        },
        arrival: {
          early: 'Early',
          on_time: 'On time',
          late: 'Late',
          missing: 'Missing',
          pending: 'Not started',
          replaced: 'Replaced by override',
          override: 'On duty by override',
        },
        departure: {
          ok: 'OK',
          early_leave: 'Left early',
          no_check_out: 'No check-out',
          pending: 'Not over',
          replaced: 'Replaced by override',
          override: 'On duty by override',
        },
      },
      notify: {
        published: {
          title: 'Roster for {{period}} published',
          body: 'The roster of team "{{team}}" for {{period}} is published; you have {{shifts}} shift(s). Please confirm within {{hours}} h.',
        },
        reminder: {
          title: 'Please confirm the roster for {{period}}',
          body: 'You have not yet confirmed the roster of team "{{team}}" for {{period}}. Please confirm it.',
        },
        overdue: {
          title: 'Roster confirmation for {{period}} overdue',
          body: '{{person}} did not confirm the roster of team "{{team}}" for {{period}} in time.',
        },
        swapRequested: {
          title: 'Swap request from {{requester}}',
          body: '{{requester}} asks you to take the {{shift}} shift ({{post}}) on {{date}}. Please accept or decline.',
        },
        swapAccepted: {
          title: 'Swap awaiting approval',
          body: "{{substitute}} agreed to take {{requester}}'s {{shift}} shift on {{date}}; it awaits approval.",
        },
        swapDecided: {
          title: 'Swap request {{outcome}}',
          body: 'The request of {{requester}} and {{substitute}} for the {{shift}} shift on {{date}}: {{outcome}}.',
        },
        leaveRequested: {
          title: 'Leave request from {{person}}',
          body: '{{person}} asks for {{kind}}: {{startDate}}–{{endDate}}.',
        },
        leaveDecided: {
          title: 'Leave request {{outcome}}',
          body: 'Your request for {{startDate}}–{{endDate}}: {{outcome}}.',
        },
        override: {
          title: 'Emergency override: {{post}}',
          body: '{{person}} is put on post "{{post}}" from {{from}} to {{to}}. Reason: {{reason}}',
        },
      },
    },
  },
};
