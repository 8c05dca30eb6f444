/** What the editor asks the node for: searchable lists and the template's variables as fields. */
export * as listSearch from './listSearch';
export * as resourceMapping from './resourceMapping';
