import { Injectable, OnModuleInit } from '@nestjs/common';
import { PlanSubscriptionRepository } from '@sah/infrastructure';
import { TeamSeats } from '../../../identity/teams/team-seats';

/**
 * A plan of more than one seat (Team) is bought for a team: when one of a team's managers holds one,
 * the team may hold at most its seats, members and pending invitations together (the most seats if
 * several managers hold one). Teams no such plan covers are run by the organisation's administrators
 * and have no seat limit: single-seat plans (Free, Starter, Pro) are personal and say nothing about
 * the teams their holders manage.
 */
@Injectable()
export class PlanSeats implements OnModuleInit {
  constructor(
    private readonly subscriptions: PlanSubscriptionRepository,
    private readonly teamSeats: TeamSeats,
  ) {}

  onModuleInit(): void {
    this.teamSeats.provideFrom((managerIds) => this.subscriptions.largestTeamSeats(managerIds));
  }
}
