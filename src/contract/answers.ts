import type { OperationId } from '../operations/ids.js';

/**
 * The success answers as the suite reads them, once they validated against the spec's schemas
 * (so these fields are there). Only what checks look at is typed; the spec holds the rest.
 */
export type CalendarShape = { year: number; month: number; dayOfMonth: number; hourOfDay: number; minute: number; second: number };

export type ContactShape = {
  id: number;
  cmId: number;
  leadId: number;
  contactPerson: string;
  phone: string;
  email: string;
  isPrimaryContact: boolean;
  generationDate: CalendarShape;
};

export type CustomerShape = {
  id: number;
  cmId: number;
  name: string;
  generationDate: string;
  contacts: ContactShape[];
  city?: string;
  state?: string;
  customerCode?: string;
  dateOfBirth?: string;
  anniversaryDate?: string;
};

export type CustomerList = { message: CustomerShape[]; status: string };

export type SuccessBodies = {
  addCustomer: { Message: string; 'Kapture Customer Id': string; Status: string };
  updateCustomer: { message: string; status: string };
  addContacts: { Message: string; Status: string; 'Contact Ids'?: string[] };
  searchCustomer: CustomerList;
  selectCustomers: CustomerList;
};

export type SuccessBody<O extends OperationId> = SuccessBodies[O];
