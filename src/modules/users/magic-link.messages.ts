export const magicLinkMessages = {
  zh: {
    magicLink: {
      mail: {
        subject: 'Dutydesk 服务台登录链接',
        body: '{{name}}，您好：\n\n点击下面的链接登录服务台（{{minutes}} 分钟内有效，只能使用一次）：\n\n{{link}}\n\n如果不是您本人申请的，请忽略这封邮件。\n',
      },
      errors: {
        badLink: '登录链接无效、已使用或已过期，请重新申请',
      },
    },
  },
  en: {
    magicLink: {
      mail: {
        subject: 'Your Dutydesk service desk sign-in link',
        body: 'Hello {{name}},\n\nOpen this link to sign in to the service desk (valid for {{minutes}} minutes, once):\n\n{{link}}\n\nIf you did not ask for it, ignore this mail.\n',
      },
      errors: {
        badLink: 'The sign-in link is invalid, used or expired; ask for a new one',
      },
    },
  },
};
