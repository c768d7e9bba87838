import mongoose, { Schema } from 'mongoose';

const auditEventSchema = new Schema({
  actor: { type: String, required: true },
  action: { type: String, required: true },
  pipelineId: { type: String, index: true },
  payload: Schema.Types.Mixed,
  at: { type: Date, default: Date.now },
});

export const AuditEvent = mongoose.model('AuditEvent', auditEventSchema);
