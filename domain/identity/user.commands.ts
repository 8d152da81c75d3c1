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

export type UserCommand = RegisterUser;
