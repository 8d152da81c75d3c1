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
  | { type: 'RevokeApiKey'; data: { now: string } }
  /** `minute`: the use's minute (`YYYY-MM-DDTHH:MM`, UTC); a use in a minute recorded already decides nothing. */
  | {
      type: 'RecordApiKeyUse';
      data: { minute: string; ipAddress: string | null; userAgent: string | null; now: string };
    };
