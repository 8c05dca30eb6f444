import { archivingOperation } from './archiving';

/** Template > Unarchive: archived templates can be sent again once Meta has unarchived them (archiving.ts). */
export const unarchive = archivingOperation('unarchive');
