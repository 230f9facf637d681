import { RaftPort } from '../../systems/raft/messages.js';
import { operatorCommand, type CommandRoute } from './operator-command.js';

/** The role naming the Raft client's node, where the operator's membership tool runs (see the raft module). */
const RAFT_CLIENT = '@raft-client';

/**
 * The operator changes the Raft group's membership: the command goes to the
 * tool on the client's node, which gets it done one server at a time
 * through whichever member leads (see RaftAdmin). A node to add runs a
 * member from the start of the run, outside the configuration.
 */
const toTheTool = (op: 'add' | 'remove'): CommandRoute => ({
  port: RaftPort.membershipCommand.name,
  to: (ctx) => ctx.members(RAFT_CLIENT)[0]!,
  body: (node) => ({ op, node }),
  needs: [RAFT_CLIENT],
});

export const raftAddMember = operatorCommand('raft_add_member', 'The operator adds a node to the Raft group: caught up as a learner, then added by a configuration entry (one server at a time).', toTheTool('add'));
export const raftRemoveMember = operatorCommand('raft_remove_member', 'The operator removes a member from the Raft group by a configuration entry; a leader removing itself steps down once it commits.', toTheTool('remove'));
