/**
 * Server-side messages of watchers, merging, alert links and uploads to attach (zh default, en),
 * merged by src/i18n/catalog.ts into the `tickets` tree.
 */
export const ticketCollab = {
  zh: {
    entities: { ticketUpload: '待附加的上传文件', alertPage: '告警' },
    tickets: {
      errors: {
        watcherNotStaff: '用户“{{id}}”不是值班人员，不能关注工单（字段 {{field}}）',
        watcherExists: '该用户已在关注此工单（字段 {{field}}）',
        mergeSelf: '工单不能合并到自身（字段 {{field}}）',
        mergeTargetFinal: '目标工单状态为“{{status}}”，不能再合并其他工单进来',
        mergeSourceMerged: '工单 {{number}} 已合并到其他工单（字段 {{field}}）',
        mergeAcross:
          '两张工单的报告人不同；确认要合并请设置 {{field}} 为 true（报告人 {{from}} → {{to}}）',
        uploadUnknown: '上传文件“{{id}}”不存在、不是您上传的，或已过期（字段 {{field}}）',
        uploadAttached: '上传文件“{{id}}”已附加到工单，不能重复使用（字段 {{field}}）',
        uploadDuplicate: '同一上传文件被列出多次（字段 {{field}}）',
        alertLinkExists: '此工单已关联该告警（字段 {{field}}）',
        alertPageUnknown: '告警“{{id}}”不存在（字段 {{field}}）',
        replyMerged: '此工单已合并到工单 {{number}}，请在该工单中回复',
        unmergeNotMerged:
          '工单 {{number}} 没有合并到工单 {{into}}，无可撤销的合并（字段 {{field}}）',
        unmergeAlreadyUndone: '工单 {{number}} 并入 {{into}} 的合并已经撤销过了（字段 {{field}}）',
        unmergeSourceChanged:
          '工单 {{number}} 合并后状态已变为“{{status}}”，撤销合并会覆盖这一变更，不能撤销（字段 {{field}}）',
        watcherMailOthers: '只有关注者本人可以设置是否接收邮件通知',
      },
      notify: {
        watchedReply: { title: '您关注的工单 {{number}} 有新回复', body: '{{title}}' },
        watchedStatus: { title: '您关注的工单 {{number}} 状态已变更', body: '{{title}}' },
        merged: {
          title: '您的工单 {{number}} 已并入工单 {{into}}',
          body: '后续处理将在工单 {{into}} 中进行',
        },
        unmerged: {
          title: '您的工单 {{number}} 已从工单 {{into}} 中拆分出来',
          body: '工单 {{number}} 将继续单独处理',
        },
      },
      mail: {
        subject: {
          merged: '[{{number}}] 已合并到 {{into}}：{{title}}',
          unmerged: '[{{number}}] 已从 {{into}} 拆分，继续单独处理：{{title}}',
        },
        body: {
          merged:
            '您好，\n\n工单 {{number}}（{{title}}）与工单 {{into}} 是同一问题，已合并到该工单，后续进展将在该工单中通知您。',
          unmerged:
            '您好，\n\n工单 {{number}}（{{title}}）此前合并到了工单 {{into}}，经核实并非同一问题，已撤销合并，将继续单独处理。补充情况请直接回复此邮件。',
        },
      },
    },
  },
  en: {
    entities: { ticketUpload: 'upload waiting to be attached', alertPage: 'alert page' },
    tickets: {
      errors: {
        watcherNotStaff:
          'User "{{id}}" is not on the duty staff and cannot watch (field {{field}})',
        watcherExists: 'This user already watches the ticket (field {{field}})',
        mergeSelf: 'A ticket cannot be merged into itself (field {{field}})',
        mergeTargetFinal: 'The target ticket is {{status}}; no ticket can be merged into it',
        mergeSourceMerged: 'Ticket {{number}} is already merged into another (field {{field}})',
        mergeAcross:
          'The tickets have different requesters; set {{field}} to true to merge anyway ({{from}} → {{to}})',
        uploadUnknown:
          'Upload "{{id}}" does not exist, is not yours or has expired (field {{field}})',
        uploadAttached: 'Upload "{{id}}" is already attached to a ticket (field {{field}})',
        uploadDuplicate: 'The same upload is listed more than once (field {{field}})',
        alertLinkExists: 'This ticket is already linked to that alert page (field {{field}})',
        alertPageUnknown: 'Alert page "{{id}}" does not exist (field {{field}})',
        replyMerged: 'This ticket was merged into ticket {{number}}; reply there',
        unmergeNotMerged:
          'Ticket {{number}} is not merged into ticket {{into}}; there is no merge to undo (field {{field}})',
        unmergeAlreadyUndone:
          'The merge of ticket {{number}} into {{into}} was already undone (field {{field}})',
        unmergeSourceChanged:
          'Ticket {{number}} has changed to {{status}} since the merge; undoing it would overwrite that change (field {{field}})',
        watcherMailOthers: 'Only the watcher themself can choose whether notices come by mail',
      },
      notify: {
        watchedReply: { title: 'New reply on ticket {{number}} you watch', body: '{{title}}' },
        watchedStatus: { title: 'Ticket {{number}} you watch changed state', body: '{{title}}' },
        merged: {
          title: 'Your ticket {{number}} was merged into {{into}}',
          body: 'It continues in ticket {{into}}',
        },
        unmerged: {
          title: 'Your ticket {{number}} was split off from {{into}} again',
          body: 'Ticket {{number}} is worked on its own again',
        },
      },
      mail: {
        subject: {
          merged: '[{{number}}] Merged into {{into}}: {{title}}',
          unmerged: '[{{number}}] Split off from {{into}}, handled on its own: {{title}}',
        },
        body: {
          merged:
            'Hello,\n\nTicket {{number}} ({{title}}) is the same problem as ticket {{into}} and was merged into it; you will hear of its progress there.',
          unmerged:
            'Hello,\n\nTicket {{number}} ({{title}}) had been merged into ticket {{into}}; it turned out not to be the same problem, so the merge was undone and it is handled on its own again. To add anything, reply to this mail.',
        },
      },
    },
  },
};
