export const usersMessages = {
  zh: {
    users: {
      errors: {
        usernameTaken: '用户名“{{username}}”已被使用',
        teamNameTaken: '团队名称“{{name}}”已被使用',
        selfLockout: '不能停用自己的账号或去掉自己的管理员角色，请让另一位管理员操作',
        wrongPassword: '当前密码不正确',
        samePassword: '新密码不能与当前密码相同',
        unknownUser: '找不到用户 {{id}}',
        unknownScope: '不认识的权限范围“{{scope}}”',
        scopeNotHeld: '您本人没有权限“{{scope}}”，令牌不能超出您的权限',
        badCredentials: '用户名或密码不正确',
      },
    },
  },
  en: {
    users: {
      errors: {
        usernameTaken: 'The username "{{username}}" is already taken',
        teamNameTaken: 'The team name "{{name}}" is already taken',
        selfLockout:
          'You cannot disable your own account or remove your own admin role; ask another admin',
        wrongPassword: 'The current password is wrong',
        samePassword: 'The new password must differ from the current one',
        unknownUser: 'No user {{id}}',
        unknownScope: 'Unknown scope "{{scope}}"',
        scopeNotHeld:
          'You do not hold the permission "{{scope}}" yourself; a token cannot exceed your rights',
        badCredentials: 'Wrong username or password',
      },
    },
  },
};
