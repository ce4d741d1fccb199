/**
 * Server-side messages of ticket mail and attachments (zh default, en), merged by
 * src/i18n/catalog.ts into the `tickets` tree.
 */
export const ticketMail = {
  zh: {
    entities: { ticketAttachment: '工单附件' },
    tickets: {
      attachments: {
        empty: '附件为空（字段 {{field}}）',
        tooLarge: '附件过大（字段 {{field}}），单个附件上限 {{limit}}',
        missing: '请以 multipart/form-data 上传一个文件（字段 {{field}}）',
        notMultipart: '上传附件需使用 multipart/form-data（字段 {{field}}）',
      },
      mail: {
        noSubject: '（无主题）',
        noBody: '（邮件无正文）',
        subject: {
          received: '[{{number}}] 已受理：{{title}}',
          reply: 'Re: [{{number}}] {{title}}',
          resolved: '[{{number}}] 已解决，请确认：{{title}}',
          closed: '[{{number}}] 已关闭：{{title}}',
        },
        body: {
          received:
            '您好，\n\n我们已收到您的来信并登记为工单 {{number}}：{{title}}\n值班人员会尽快处理。补充情况请直接回复此邮件，并保留主题中的工单号。',
          reply: '{{body}}',
          resolved:
            '您好，\n\n工单 {{number}}（{{title}}）已处理完毕。请确认问题是否已解决：如仍未解决，直接回复此邮件说明情况，工单将重新打开。',
          closed: '您好，\n\n工单 {{number}}（{{title}}）已关闭。感谢您的反馈。',
        },
        footer: '——\n工单 {{number}}。回复此邮件即可继续沟通，请保留主题中的工单号。',
        portal: '在线查看：{{url}}',
      },
    },
  },
  en: {
    entities: { ticketAttachment: 'ticket attachment' },
    tickets: {
      attachments: {
        empty: 'The attachment is empty (field {{field}})',
        tooLarge: 'The attachment is too large (field {{field}}); the limit is {{limit}} each',
        missing: 'Upload one file as multipart/form-data (field {{field}})',
        notMultipart: 'Attachments are uploaded as multipart/form-data (field {{field}})',
      },
      mail: {
        noSubject: '(no subject)',
        noBody: '(the mail had no text)',
        subject: {
          received: '[{{number}}] Received: {{title}}',
          reply: 'Re: [{{number}}] {{title}}',
          resolved: '[{{number}}] Resolved, please confirm: {{title}}',
          closed: '[{{number}}] Closed: {{title}}',
        },
        body: {
          received:
            'Hello,\n\nWe have received your message and logged it as ticket {{number}}: {{title}}\nThe duty team will handle it shortly. To add anything, reply to this mail and keep the ticket number in the subject.',
          reply: '{{body}}',
          resolved:
            'Hello,\n\nTicket {{number}} ({{title}}) has been resolved. Please check that the problem is gone: if it is not, reply to this mail and the ticket will be reopened.',
          closed: 'Hello,\n\nTicket {{number}} ({{title}}) is closed. Thank you for your feedback.',
        },
        footer:
          '--\nTicket {{number}}. Reply to this mail to continue; keep the ticket number in the subject.',
        portal: 'View online: {{url}}',
      },
    },
  },
};
