export type ApiKeyCommand =
  | {
      type: 'CreateApiKey';
      data: {
        apiKeyId: string;
        name: string;
        roles: string[];
        secretHash: string;
        expiresAt: string | null;
        now: string;
      };
    }
  | { type: 'RevokeApiKey'; data: { now: string } };
