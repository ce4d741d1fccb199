import { z } from 'zod';
import { isTimeZone } from '../../lib/time-zone.js';
import { ROLES } from '../../server/permissions.js';

export const RoleSchema = z.enum(ROLES);
export const LocaleSchema = z.enum(['zh', 'en']);
export const IdSchema = z.uuid();

export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(64)
  .regex(/^[a-z0-9._-]+$/, { message: 'letters a-z, digits, . _ -' });

export const PasswordSchema = z.string().min(10).max(200);
const Email = z.email().max(254);
const Phone = z
  .string()
  .trim()
  .max(32)
  .regex(/^\+?[0-9 ()-]{3,32}$/, { message: 'digits, spaces, + ( ) -' });
const DisplayName = z.string().trim().min(1).max(100);

export const TeamRefSchema = z.object({ id: z.string(), name: z.string() });

export const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  locale: LocaleSchema,
  roles: z.array(RoleSchema),
  disabled: z.boolean(),
  teams: z.array(TeamRefSchema),
  createdAt: z.number(),
});
export type User = z.infer<typeof UserSchema>;

export const MeSchema = UserSchema.omit({ disabled: true, createdAt: true }).extend({
  mustChangePassword: z.boolean(),
  permissions: z.array(z.string()),
});
export type Me = z.infer<typeof MeSchema>;

export const CreateUserBody = z.strictObject({
  username: UsernameSchema,
  displayName: DisplayName,
  email: Email.optional(),
  phone: Phone.optional(),
  roles: z.array(RoleSchema).min(1).max(ROLES.length),
  locale: LocaleSchema.optional(),
  password: PasswordSchema.optional(),
});
export type CreateUserInput = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z.strictObject({
  displayName: DisplayName.optional(),
  email: Email.nullable().optional(),
  phone: Phone.nullable().optional(),
  roles: z.array(RoleSchema).min(1).max(ROLES.length).optional(),
  locale: LocaleSchema.optional(),
  disabled: z.boolean().optional(),
});
export type UpdateUserInput = z.infer<typeof UpdateUserBody>;

export const UpdateProfileBody = z.strictObject({
  displayName: DisplayName.optional(),
  email: Email.nullable().optional(),
  phone: Phone.nullable().optional(),
  locale: LocaleSchema.optional(),
});
export type UpdateProfileInput = z.infer<typeof UpdateProfileBody>;

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: PasswordSchema,
});

export const ListUsersQuery = z.strictObject({
  q: z.string().max(100).optional(),
  role: RoleSchema.optional(),
  teamId: IdSchema.optional(),
  includeDisabled: z.enum(['true', 'false']).optional(),
});

export const TimeZoneSchema = z
  .string()
  .refine(isTimeZone, { message: 'IANA time zone, e.g. Asia/Shanghai' });

export const TeamSchema = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  description: z.string().nullable(),
  members: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string() })),
  createdAt: z.number(),
});
export type Team = z.infer<typeof TeamSchema>;

export const CreateTeamBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  timeZone: TimeZoneSchema,
  description: z.string().trim().max(1000).optional(),
});
export type CreateTeamInput = z.infer<typeof CreateTeamBody>;

export const UpdateTeamBody = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  timeZone: TimeZoneSchema.optional(),
  description: z.string().trim().max(1000).nullable().optional(),
});
export type UpdateTeamInput = z.infer<typeof UpdateTeamBody>;

export const SetMembersBody = z.strictObject({ userIds: z.array(IdSchema).max(5000) });

export const SignInBody = z.strictObject({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(200),
});

export const ApiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
  expiresAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export const CreateTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.string().max(64)).min(1).max(100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export const IdParams = z.strictObject({ id: IdSchema });
