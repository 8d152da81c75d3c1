import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

export interface MfaEnrolment {
  /** base32, for typing into an app that cannot scan. */
  secret: string;
  otpauthUrl: string;
  qrCodeSvg: string;
}

/** The signed-in user starts enrolling an authenticator app (a new secret; pending until confirmed). */
export class StartMfaEnrolmentCommand extends Command<MfaEnrolment> {
  constructor(readonly ctx: CommandContext) {
    super();
  }
}

/** The first code from the app turns MFA on; the user's other sessions end. */
export class ConfirmMfaCommand extends Command<{ recoveryCodes: string[]; position: bigint }> {
  constructor(
    readonly otp: string,
    readonly sessionId: string,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}

/** The password and a code (or a recovery code) turn MFA off; the user's other sessions end. */
export class DisableMfaCommand extends Command<{ position: bigint }> {
  constructor(
    readonly input: { password: string; otp?: string; recoveryCode?: string },
    readonly sessionId: string,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
