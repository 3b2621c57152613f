/// The report's one script, inline and allowed by its hash alone (`HTMLReportWriter`'s
/// Content-Security-Policy): it lists the alerts from the page's data (`AlertListData`) a page of
/// 250 at a time, narrows them by severity, rule and text, and opens the alert a `#ID` link
/// points to, on whatever page it is.
///
/// It builds elements with `textContent` only, never markup, so nothing a log wrote can become
/// an element or run. An event is shown indented as its JSON text was written (strings and
/// numbers as they are; `JSON.parse` would round large numbers and respell others).
enum ReportScript {
    static let source = """
        (function(){'use strict';
        var D=null,L=null,IDX=null,view=[],page=0,SIZE=250;
        function $(id){return document.getElementById(id)}
        function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e}
        function indent(t){var o=[],d=0,i,c,n,str=false;function nl(){o.push('\\n'+'  '.repeat(d))}
        for(i=0;i<t.length;i++){c=t[i];if(str){o.push(c);if(c==='\\\\'){o.push(t[++i])}else if(c==='"'){str=false}continue}
        if(c==='"'){str=true;o.push(c)}else if(c==='{'||c==='['){n=t[i+1];if(n==='}'||n===']'){o.push(c+n);i++}else{d++;o.push(c);nl()}}
        else if(c==='}'||c===']'){d--;nl();o.push(c)}else if(c===','){o.push(c);nl()}else if(c===':'){o.push(': ')}else{o.push(c)}}
        return o.join('')}
        function row(i){var r=D.rows[i],s=D.strings,d=el('details','alert'),m=el('summary'),w=el('span'),b=el('div'),p=el('p','note'),a;
        d.id=r[0];m.appendChild(el('span','mono',s[r[1]]||'-'));w.appendChild(el('span','sev sev-'+s[r[2]],s[r[2]]));m.appendChild(w);
        for(var k=3;k<8;k++){m.appendChild(el('span',null,s[r[k]]||'-'))}
        d.appendChild(m);
        if(r[8]>0){p.appendChild(document.createTextNode('file '));a=el('a',null,String(r[8]));a.href='#file-'+r[8];p.appendChild(a)}
        if(r[9]>=0){p.appendChild(document.createTextNode((r[8]>0?', ':'')+'record '+r[9]))}
        b.appendChild(p);
        b.appendChild(r[10]>=0?el('pre',null,indent(D.bodies[r[10]])):el('p','note','Event not included: '+s[-r[10]-1]+'.'));
        d.appendChild(b);return d}
        function draw(){var list=$('alert-list'),f=document.createDocumentFragment(),end=Math.min(view.length,(page+1)*SIZE),i;
        for(i=page*SIZE;i<end;i++){f.appendChild(row(view[i]))}
        list.textContent='';list.appendChild(f);
        $('alert-range').textContent=view.length?(page*SIZE+1)+'\\u2013'+end+' of '+view.length+(view.length<D.rows.length?' (of '+D.rows.length+')':''):'none of '+D.rows.length;
        $('alert-prev').disabled=page===0;$('alert-next').disabled=end>=view.length}
        function narrow(){var sev=$('alert-severity').value,rule=$('alert-rule').value,q=$('alert-text').value.toLowerCase(),hit=null,i,k,r;
        if(q){hit=new Uint8Array(L.length);for(k=0;k<L.length;k++){if(L[k].indexOf(q)>=0)hit[k]=1}}
        view=[];for(i=0;i<D.rows.length;i++){r=D.rows[i];
        if(sev&&D.strings[r[2]]!==sev)continue;if(rule&&D.strings[r[3]]!==rule)continue;
        if(hit&&!(hit[r[1]]||hit[r[4]]||hit[r[5]]||hit[r[6]]||hit[r[7]]||r[0].indexOf(q)>=0))continue;view.push(i)}
        page=0;draw()}
        function options(select,values){values.forEach(function(v){var o=el('option',null,v);o.value=v;select.appendChild(o)})}
        function start(){var data=$('alert-data'),seen={},sevs=[],rules=[],order=['critical','high','medium','low','info'],timer=null;
        if(!data)return;D=JSON.parse(data.textContent);L=D.strings.map(function(t){return t.toLowerCase()});IDX=new Map();
        D.rows.forEach(function(r,i){IDX.set(r[0],i);var s=D.strings[r[2]],n=D.strings[r[3]];
        if(!seen['s'+s]){seen['s'+s]=1;sevs.push(s)}if(!seen['r'+n]){seen['r'+n]=1;rules.push(n)}});
        sevs.sort(function(a,b){var x=order.indexOf(a),y=order.indexOf(b);return (x<0?9:x)-(y<0?9:y)||(a<b?-1:a>b?1:0)});
        rules.sort();options($('alert-severity'),sevs);options($('alert-rule'),rules);
        $('alert-severity').addEventListener('change',narrow);$('alert-rule').addEventListener('change',narrow);
        $('alert-text').addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(narrow,150)});
        $('alert-prev').addEventListener('click',function(){page--;draw();$('alerts').scrollIntoView()});
        $('alert-next').addEventListener('click',function(){page++;draw();$('alerts').scrollIntoView()});
        narrow()}
        function openTarget(){var id=decodeURIComponent(location.hash.slice(1)),e,i,at;if(!id)return;e=$(id);
        if(!e&&IDX&&IDX.has(id)){i=IDX.get(id);at=view.indexOf(i);
        if(at<0){$('alert-severity').value='';$('alert-rule').value='';$('alert-text').value='';narrow();at=view.indexOf(i)}
        page=Math.floor(at/SIZE);draw();e=$(id)}
        if(!e)return;for(var d=e.closest('details');d;d=d.parentElement&&d.parentElement.closest('details')){d.open=true}e.scrollIntoView()}
        window.addEventListener('hashchange',openTarget);
        document.addEventListener('DOMContentLoaded',function(){start();openTarget()});
        })();
        """
}
