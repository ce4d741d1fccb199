export const inboxMessages = {
  zh: {
    inbox: {
      test: {
        title: '测试通知',
        body: '{{name}}，这是一条测试通知。您能看到它，说明通知能送达您。',
      },
    },
  },
  en: {
    inbox: {
      test: {
        title: 'Test notification',
        body: '{{name}}, this is a test notification. If you can read it, notifications reach you.',
      },
    },
  },
};
