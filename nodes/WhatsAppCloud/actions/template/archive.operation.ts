import { archivingOperation } from './archiving';

/** Template > Archive: the templates stop being sendable until unarchived (archiving.ts). */
export const archive = archivingOperation('archive');
