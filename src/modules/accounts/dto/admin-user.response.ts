import type { User } from '../user.entity.js';
import { UserResponse } from './user.response.js';

/** An account as admins see it: whether it is disabled, too. */
export class AdminUserResponse extends UserResponse {
  disabled!: boolean;

  static override from(this: void, user: User): AdminUserResponse {
    return { ...UserResponse.from(user), disabled: user.disabled };
  }
}

export class AdminUserPageResponse {
  items!: AdminUserResponse[];
  /** Pass as `cursor` to get the next page; `null` on the last page. */
  nextCursor!: string | null;
}
