import { Injectable } from '@nestjs/common';
import type { McpConnection } from './mcp-connection';

export interface ConnectionStats {
  open: number;
  inFlight: number;
  byUser: { userId: string; connections: number }[];
}

/**
 * The /ws/mcp connections open on this instance, for the keep-alive sweep, shutdown and the
 * admins' counts. Each API instance counts its own.
 */
@Injectable()
export class ConnectionRegistry {
  private readonly connections = new Set<McpConnection>();

  add(connection: McpConnection): void {
    this.connections.add(connection);
  }

  remove(connection: McpConnection): void {
    this.connections.delete(connection);
  }

  all(): McpConnection[] {
    return [...this.connections];
  }

  get size(): number {
    return this.connections.size;
  }

  /** Users with the most connections first. */
  stats(): ConnectionStats {
    const perUser = new Map<string, number>();
    let inFlight = 0;
    for (const connection of this.connections) {
      perUser.set(connection.userId, (perUser.get(connection.userId) ?? 0) + 1);
      inFlight += connection.inFlight;
    }
    const byUser = [...perUser].map(([userId, connections]) => ({ userId, connections }));
    byUser.sort((a, b) => b.connections - a.connections || a.userId.localeCompare(b.userId));
    return { open: this.connections.size, inFlight, byUser };
  }
}
