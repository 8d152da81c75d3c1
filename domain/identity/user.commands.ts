export interface RegisterUser {
  type: 'RegisterUser';
  data: {
    userId: string;
    email: string;
    name: string;
    roles: string[];
    passwordHash: string;
    customerId?: string;
    now: string;
  };
}

export type UserCommand =
  | RegisterUser
  | { type: 'ChangePassword'; data: { passwordHash: string; now: string } }
  | { type: 'DisableUser'; data: { reason: string; now: string } }
  | { type: 'EnableUser'; data: { now: string } }
  | { type: 'SignOutEverywhere'; data: { now: string } };
