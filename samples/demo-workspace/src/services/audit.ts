import { AuditEvent } from '../models/AuditEvent';

export async function wasEverDeployed(pipelineId: string) {
  const events = await AuditEvent.find({ pipelineId, action: 'deploy' }).limit(500);
  return events.length > 0;
}

export async function recentActivity(pipelineId: string) {
  return AuditEvent.find({ pipelineId }).select('actor action at').sort({ at: -1 }).limit(20).lean();
}
