import type { CustomerRecord } from '../src/records.js';

/**
 * The customers shown in the vendor document (its samples are copied verbatim in
 * test/fixtures/document-samples.ts; docs/vendor-facts.md describes the document), as store
 * records, so the document's sample requests work against a fresh sandbox. Account 396.
 *
 * Instants are UTC; the document shows them in IST (UTC+05:30). Contacts' `generationDate` is a
 * serialized Calendar without milliseconds, so contact instants have `.000`. Keys the samples omit
 * (Gson drops nulls) are absent here too; zero-valued vendor fields (`zone: 0`, `age: 0`, ...) are
 * the presenter's business, not the record's.
 *
 * A fresh array of fresh objects on every call: callers may mutate what they get.
 */
export function sampleCustomers(): CustomerRecord[] {
  return [
    // The select sample response ("Chandran"): generationDate "Apr 29, 2016 10:37:14 PM",
    // imageReferenceId "CUS_2016-04-29 22:37:14.259". No city/country/classification/type/zone keys.
    {
      id: 287230,
      cmId: 396,
      createdAt: '2016-04-29T17:07:14.259Z',
      name: 'Chandran',
      address: 'No. 25,Virrudhi Complex, Leela Palace Road, Domlur , ',
      state: 'Karnataka',
      pinCode: '560009',
      contacts: [
        {
          id: 365799,
          createdAt: '2016-04-29T17:07:14.000Z',
          contactPerson: 'Chandran ', // trailing space as in the sample
          phone: '999999100',
          email: 'help@adjetter.in',
          isPrimaryContact: true,
          gender: 'Male',
          maritalStatus: ' ',
        },
      ],
    },
    // The search sample response ("Nikesh"): generationDate "Mar 3, 2016 1:38:59 PM",
    // imageReferenceId "CUS_2016-03-03 13:38:59.631". The sample's first contact spells the key
    // "contactPerson " (trailing space); the value is "nikesh". Both contacts are primary, as shown.
    // The second contact's Calendar says month 3, which is 0-based: April 15.
    {
      id: 286829,
      cmId: 396,
      createdAt: '2016-03-03T08:08:59.631Z',
      name: 'Nikesh',
      address: '',
      city: 'bangalore',
      state: 'karnataka',
      country: 'india',
      pinCode: '',
      customerType: 't',
      classification: '',
      zone: 2,
      contacts: [
        {
          id: 365384,
          createdAt: '2016-03-03T08:08:59.000Z',
          contactPerson: 'nikesh',
          phone: '999999911',
          email: 'help@kapturecrm.com',
          isPrimaryContact: true,
          gender: ' ',
          maritalStatus: ' ',
        },
        {
          id: 365448,
          createdAt: '2016-04-15T08:13:33.000Z',
          contactPerson: 'nikesh',
          phone: '8867148604',
          email: 'test@kapturecrm.com',
          isPrimaryContact: true,
          gender: ' ',
          maritalStatus: ' ',
        },
      ],
    },
    // Not in the document: invented so its sample requests work. The search and update samples name
    // customer_id "272930" (the update body supplies name/phone/email/city/country/customer_code), and
    // the select sample {"start_date":"2016-03-31","end_date":"2016-03-31"} should find someone, so it
    // was created on 2016-03-31 IST (11:20:45.112).
    {
      id: 272930,
      cmId: 396,
      createdAt: '2016-03-31T05:50:45.112Z',
      name: 'Rahul',
      address: 'domlur',
      city: 'bangalore',
      state: 'karnataka',
      country: 'india',
      customerCode: '1',
      customerType: 't',
      contacts: [
        {
          id: 358120,
          createdAt: '2016-03-31T05:50:45.000Z',
          contactPerson: 'Rahul',
          phone: '1234567890',
          email: 'abc@gmail.com',
          isPrimaryContact: true,
          gender: ' ',
          maritalStatus: ' ',
        },
      ],
    },
  ];
}
