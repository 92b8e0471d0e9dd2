import { Column, Entity } from 'typeorm';
import { timestamp } from '../database/columns';

/** A scheduled job's next run (src/jobs): the row a runner locks to claim it. */
@Entity('scheduled_jobs')
export class ScheduledJob {
  @Column({ type: 'varchar', length: 64, primary: true }) name: string;
  @Column(timestamp()) nextRunAt: Date;
  @Column(timestamp({ nullable: true })) lastRunAt: Date | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) lastError: string | null;
}
