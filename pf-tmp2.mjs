import { hashSync } from '@node-rs/argon2'
for (let i=0;i<5;i++) hashSync('x'+i,{algorithm:2,memoryCost:19456,timeCost:2,parallelism:1})
process.stdout.write('MARK\n')
for (let i=0;i<3;i++) hashSync('x'+i,{algorithm:2,memoryCost:19456,timeCost:2,parallelism:1})
